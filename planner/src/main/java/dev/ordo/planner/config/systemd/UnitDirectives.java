package dev.ordo.planner.config.systemd;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every key systemd 252 knows, by section: the output of {@code /lib/systemd/systemd
 * --dump-configuration-items} (generated from load-fragment-gperf.gperf) on Debian 12, systemd 252.38.
 * Keys of the same section are valid in every unit type that has that section.
 */
final class UnitDirectives {

    private UnitDirectives() {
    }

    private static final String TABLE = """
            [Unit]
            Description Documentation SourcePath Requires Requisite Wants BindsTo BindTo Upholds Conflicts Before
            After OnSuccess OnFailure PropagatesReloadTo PropagateReloadTo ReloadPropagatedFrom PropagateReloadFrom
            PropagatesStopTo StopPropagatedFrom PartOf JoinsNamespaceOf RequiresOverridable RequisiteOverridable
            RequiresMountsFor StopWhenUnneeded RefuseManualStart RefuseManualStop AllowIsolate DefaultDependencies
            OnSuccessJobMode OnFailureJobMode OnFailureIsolate IgnoreOnIsolate JobTimeoutSec JobRunningTimeoutSec
            JobTimeoutAction JobTimeoutRebootArgument StartLimitIntervalSec StartLimitInterval StartLimitBurst
            StartLimitAction FailureAction SuccessAction FailureActionExitStatus SuccessActionExitStatus
            RebootArgument ConditionPathExists ConditionPathExistsGlob ConditionPathIsDirectory
            ConditionPathIsSymbolicLink ConditionPathIsMountPoint ConditionPathIsReadWrite ConditionPathIsEncrypted
            ConditionDirectoryNotEmpty ConditionFileNotEmpty ConditionFileIsExecutable ConditionNeedsUpdate
            ConditionFirstBoot ConditionArchitecture ConditionFirmware ConditionVirtualization ConditionHost
            ConditionKernelCommandLine ConditionKernelVersion ConditionCredential ConditionSecurity
            ConditionCapability ConditionACPower ConditionMemory ConditionCPUFeature ConditionCPUs
            ConditionEnvironment ConditionUser ConditionGroup ConditionControlGroupController ConditionOSRelease
            ConditionMemoryPressure ConditionCPUPressure ConditionIOPressure AssertPathExists AssertPathExistsGlob
            AssertPathIsDirectory AssertPathIsSymbolicLink AssertPathIsMountPoint AssertPathIsReadWrite
            AssertPathIsEncrypted AssertDirectoryNotEmpty AssertFileNotEmpty AssertFileIsExecutable
            AssertNeedsUpdate AssertFirstBoot AssertArchitecture AssertVirtualization AssertHost
            AssertKernelCommandLine AssertKernelVersion AssertCredential AssertSecurity AssertCapability
            AssertACPower AssertMemory AssertCPUFeature AssertCPUs AssertEnvironment AssertUser AssertGroup
            AssertControlGroupController AssertOSRelease AssertMemoryPressure AssertCPUPressure AssertIOPressure
            CollectMode
            [Service]
            PIDFile ExecCondition ExecStartPre ExecStart ExecStartPost ExecReload ExecStop ExecStopPost RestartSec
            TimeoutSec TimeoutStartSec TimeoutStopSec TimeoutAbortSec TimeoutStartFailureMode TimeoutStopFailureMode
            RuntimeMaxSec RuntimeRandomizedExtraSec WatchdogSec StartLimitInterval StartLimitBurst StartLimitAction
            FailureAction RebootArgument Type ExitType Restart PermissionsStartOnly RootDirectoryStartOnly
            RemainAfterExit GuessMainPID RestartPreventExitStatus RestartForceExitStatus SuccessExitStatus
            NonBlocking BusName FileDescriptorStoreMax NotifyAccess Sockets USBFunctionDescriptors
            USBFunctionStrings OOMPolicy WorkingDirectory RootDirectory RootImage RootImageOptions RootHash
            RootHashSignature RootVerity ExtensionDirectories ExtensionImages MountImages User Group
            SupplementaryGroups Nice OOMScoreAdjust CoredumpFilter IOSchedulingClass IOSchedulingPriority
            CPUSchedulingPolicy CPUSchedulingPriority CPUSchedulingResetOnFork CPUAffinity NUMAPolicy NUMAMask UMask
            Environment EnvironmentFile PassEnvironment UnsetEnvironment DynamicUser RemoveIPC StandardInput
            StandardOutput StandardError StandardInputText StandardInputData TTYPath TTYReset TTYVHangup
            TTYVTDisallocate TTYRows TTYColumns SyslogIdentifier SyslogFacility SyslogLevel SyslogLevelPrefix
            LogLevelMax LogRateLimitIntervalSec LogRateLimitBurst LogExtraFields SecureBits CapabilityBoundingSet
            AmbientCapabilities TimerSlackNSec NoNewPrivileges KeyringMode ProtectProc ProcSubset SystemCallFilter
            SystemCallArchitectures SystemCallErrorNumber SystemCallLog MemoryDenyWriteExecute RestrictNamespaces
            RestrictRealtime RestrictSUIDSGID RestrictAddressFamilies LockPersonality RestrictFileSystems LimitCPU
            LimitFSIZE LimitDATA LimitSTACK LimitCORE LimitRSS LimitNOFILE LimitAS LimitNPROC LimitMEMLOCK
            LimitLOCKS LimitSIGPENDING LimitMSGQUEUE LimitNICE LimitRTPRIO LimitRTTIME ReadWriteDirectories
            ReadOnlyDirectories InaccessibleDirectories ReadWritePaths ReadOnlyPaths InaccessiblePaths ExecPaths
            NoExecPaths ExecSearchPath BindPaths BindReadOnlyPaths TemporaryFileSystem PrivateTmp PrivateDevices
            ProtectKernelTunables ProtectKernelModules ProtectKernelLogs ProtectClock ProtectControlGroups
            NetworkNamespacePath IPCNamespacePath LogNamespace PrivateNetwork PrivateUsers PrivateMounts PrivateIPC
            ProtectSystem ProtectHome MountFlags MountAPIVFS Personality RuntimeDirectoryPreserve
            RuntimeDirectoryMode RuntimeDirectory StateDirectoryMode StateDirectory CacheDirectoryMode
            CacheDirectory LogsDirectoryMode LogsDirectory ConfigurationDirectoryMode ConfigurationDirectory
            SetCredential SetCredentialEncrypted LoadCredential LoadCredentialEncrypted TimeoutCleanSec PAMName
            IgnoreSIGPIPE UtmpIdentifier UtmpMode SELinuxContext AppArmorProfile SmackProcessLabel ProtectHostname
            Slice AllowedCPUs StartupAllowedCPUs AllowedMemoryNodes StartupAllowedMemoryNodes CPUAccounting
            CPUWeight StartupCPUWeight CPUShares StartupCPUShares CPUQuota CPUQuotaPeriodSec MemoryAccounting
            MemoryMin DefaultMemoryMin DefaultMemoryLow MemoryLow MemoryHigh MemoryMax MemorySwapMax MemoryLimit
            DeviceAllow DevicePolicy IOAccounting IOWeight StartupIOWeight IODeviceWeight IOReadBandwidthMax
            IOWriteBandwidthMax IOReadIOPSMax IOWriteIOPSMax IODeviceLatencyTargetSec BlockIOAccounting
            BlockIOWeight StartupBlockIOWeight BlockIODeviceWeight BlockIOReadBandwidth BlockIOWriteBandwidth
            TasksAccounting TasksMax Delegate DisableControllers IPAccounting IPAddressAllow IPAddressDeny
            IPIngressFilterPath IPEgressFilterPath ManagedOOMSwap ManagedOOMMemoryPressure
            ManagedOOMMemoryPressureLimit ManagedOOMPreference BPFProgram SocketBindAllow SocketBindDeny
            RestrictNetworkInterfaces SendSIGKILL SendSIGHUP KillMode KillSignal RestartKillSignal FinalKillSignal
            WatchdogSignal
            [Socket]
            ListenStream ListenDatagram ListenSequentialPacket ListenFIFO ListenNetlink ListenSpecial
            ListenMessageQueue ListenUSBFunction SocketProtocol BindIPv6Only Backlog BindToDevice ExecStartPre
            ExecStartPost ExecStopPre ExecStopPost TimeoutSec SocketUser SocketGroup SocketMode DirectoryMode Accept
            FlushPending Writable MaxConnections MaxConnectionsPerSource KeepAlive KeepAliveTimeSec
            KeepAliveIntervalSec KeepAliveProbes DeferAcceptSec NoDelay Priority ReceiveBuffer SendBuffer IPTOS
            IPTTL Mark PipeSize FreeBind Transparent Broadcast PassCredentials PassSecurity PassPacketInfo
            Timestamping TCPCongestion ReusePort MessageQueueMaxMessages MessageQueueMessageSize RemoveOnStop
            Symlinks FileDescriptorName Service TriggerLimitIntervalSec TriggerLimitBurst SmackLabel SmackLabelIPIn
            SmackLabelIPOut SELinuxContextFromNet WorkingDirectory RootDirectory RootImage RootImageOptions RootHash
            RootHashSignature RootVerity ExtensionDirectories ExtensionImages MountImages User Group
            SupplementaryGroups Nice OOMScoreAdjust CoredumpFilter IOSchedulingClass IOSchedulingPriority
            CPUSchedulingPolicy CPUSchedulingPriority CPUSchedulingResetOnFork CPUAffinity NUMAPolicy NUMAMask UMask
            Environment EnvironmentFile PassEnvironment UnsetEnvironment DynamicUser RemoveIPC StandardInput
            StandardOutput StandardError StandardInputText StandardInputData TTYPath TTYReset TTYVHangup
            TTYVTDisallocate TTYRows TTYColumns SyslogIdentifier SyslogFacility SyslogLevel SyslogLevelPrefix
            LogLevelMax LogRateLimitIntervalSec LogRateLimitBurst LogExtraFields SecureBits CapabilityBoundingSet
            AmbientCapabilities TimerSlackNSec NoNewPrivileges KeyringMode ProtectProc ProcSubset SystemCallFilter
            SystemCallArchitectures SystemCallErrorNumber SystemCallLog MemoryDenyWriteExecute RestrictNamespaces
            RestrictRealtime RestrictSUIDSGID RestrictAddressFamilies LockPersonality RestrictFileSystems LimitCPU
            LimitFSIZE LimitDATA LimitSTACK LimitCORE LimitRSS LimitNOFILE LimitAS LimitNPROC LimitMEMLOCK
            LimitLOCKS LimitSIGPENDING LimitMSGQUEUE LimitNICE LimitRTPRIO LimitRTTIME ReadWriteDirectories
            ReadOnlyDirectories InaccessibleDirectories ReadWritePaths ReadOnlyPaths InaccessiblePaths ExecPaths
            NoExecPaths ExecSearchPath BindPaths BindReadOnlyPaths TemporaryFileSystem PrivateTmp PrivateDevices
            ProtectKernelTunables ProtectKernelModules ProtectKernelLogs ProtectClock ProtectControlGroups
            NetworkNamespacePath IPCNamespacePath LogNamespace PrivateNetwork PrivateUsers PrivateMounts PrivateIPC
            ProtectSystem ProtectHome MountFlags MountAPIVFS Personality RuntimeDirectoryPreserve
            RuntimeDirectoryMode RuntimeDirectory StateDirectoryMode StateDirectory CacheDirectoryMode
            CacheDirectory LogsDirectoryMode LogsDirectory ConfigurationDirectoryMode ConfigurationDirectory
            SetCredential SetCredentialEncrypted LoadCredential LoadCredentialEncrypted TimeoutCleanSec PAMName
            IgnoreSIGPIPE UtmpIdentifier UtmpMode SELinuxContext AppArmorProfile SmackProcessLabel ProtectHostname
            Slice AllowedCPUs StartupAllowedCPUs AllowedMemoryNodes StartupAllowedMemoryNodes CPUAccounting
            CPUWeight StartupCPUWeight CPUShares StartupCPUShares CPUQuota CPUQuotaPeriodSec MemoryAccounting
            MemoryMin DefaultMemoryMin DefaultMemoryLow MemoryLow MemoryHigh MemoryMax MemorySwapMax MemoryLimit
            DeviceAllow DevicePolicy IOAccounting IOWeight StartupIOWeight IODeviceWeight IOReadBandwidthMax
            IOWriteBandwidthMax IOReadIOPSMax IOWriteIOPSMax IODeviceLatencyTargetSec BlockIOAccounting
            BlockIOWeight StartupBlockIOWeight BlockIODeviceWeight BlockIOReadBandwidth BlockIOWriteBandwidth
            TasksAccounting TasksMax Delegate DisableControllers IPAccounting IPAddressAllow IPAddressDeny
            IPIngressFilterPath IPEgressFilterPath ManagedOOMSwap ManagedOOMMemoryPressure
            ManagedOOMMemoryPressureLimit ManagedOOMPreference BPFProgram SocketBindAllow SocketBindDeny
            RestrictNetworkInterfaces SendSIGKILL SendSIGHUP KillMode KillSignal RestartKillSignal FinalKillSignal
            WatchdogSignal
            [Mount]
            What Where Options Type TimeoutSec DirectoryMode SloppyOptions LazyUnmount ForceUnmount ReadWriteOnly
            WorkingDirectory RootDirectory RootImage RootImageOptions RootHash RootHashSignature RootVerity
            ExtensionDirectories ExtensionImages MountImages User Group SupplementaryGroups Nice OOMScoreAdjust
            CoredumpFilter IOSchedulingClass IOSchedulingPriority CPUSchedulingPolicy CPUSchedulingPriority
            CPUSchedulingResetOnFork CPUAffinity NUMAPolicy NUMAMask UMask Environment EnvironmentFile
            PassEnvironment UnsetEnvironment DynamicUser RemoveIPC StandardInput StandardOutput StandardError
            StandardInputText StandardInputData TTYPath TTYReset TTYVHangup TTYVTDisallocate TTYRows TTYColumns
            SyslogIdentifier SyslogFacility SyslogLevel SyslogLevelPrefix LogLevelMax LogRateLimitIntervalSec
            LogRateLimitBurst LogExtraFields SecureBits CapabilityBoundingSet AmbientCapabilities TimerSlackNSec
            NoNewPrivileges KeyringMode ProtectProc ProcSubset SystemCallFilter SystemCallArchitectures
            SystemCallErrorNumber SystemCallLog MemoryDenyWriteExecute RestrictNamespaces RestrictRealtime
            RestrictSUIDSGID RestrictAddressFamilies LockPersonality RestrictFileSystems LimitCPU LimitFSIZE
            LimitDATA LimitSTACK LimitCORE LimitRSS LimitNOFILE LimitAS LimitNPROC LimitMEMLOCK LimitLOCKS
            LimitSIGPENDING LimitMSGQUEUE LimitNICE LimitRTPRIO LimitRTTIME ReadWriteDirectories ReadOnlyDirectories
            InaccessibleDirectories ReadWritePaths ReadOnlyPaths InaccessiblePaths ExecPaths NoExecPaths
            ExecSearchPath BindPaths BindReadOnlyPaths TemporaryFileSystem PrivateTmp PrivateDevices
            ProtectKernelTunables ProtectKernelModules ProtectKernelLogs ProtectClock ProtectControlGroups
            NetworkNamespacePath IPCNamespacePath LogNamespace PrivateNetwork PrivateUsers PrivateMounts PrivateIPC
            ProtectSystem ProtectHome MountFlags MountAPIVFS Personality RuntimeDirectoryPreserve
            RuntimeDirectoryMode RuntimeDirectory StateDirectoryMode StateDirectory CacheDirectoryMode
            CacheDirectory LogsDirectoryMode LogsDirectory ConfigurationDirectoryMode ConfigurationDirectory
            SetCredential SetCredentialEncrypted LoadCredential LoadCredentialEncrypted TimeoutCleanSec PAMName
            IgnoreSIGPIPE UtmpIdentifier UtmpMode SELinuxContext AppArmorProfile SmackProcessLabel ProtectHostname
            Slice AllowedCPUs StartupAllowedCPUs AllowedMemoryNodes StartupAllowedMemoryNodes CPUAccounting
            CPUWeight StartupCPUWeight CPUShares StartupCPUShares CPUQuota CPUQuotaPeriodSec MemoryAccounting
            MemoryMin DefaultMemoryMin DefaultMemoryLow MemoryLow MemoryHigh MemoryMax MemorySwapMax MemoryLimit
            DeviceAllow DevicePolicy IOAccounting IOWeight StartupIOWeight IODeviceWeight IOReadBandwidthMax
            IOWriteBandwidthMax IOReadIOPSMax IOWriteIOPSMax IODeviceLatencyTargetSec BlockIOAccounting
            BlockIOWeight StartupBlockIOWeight BlockIODeviceWeight BlockIOReadBandwidth BlockIOWriteBandwidth
            TasksAccounting TasksMax Delegate DisableControllers IPAccounting IPAddressAllow IPAddressDeny
            IPIngressFilterPath IPEgressFilterPath ManagedOOMSwap ManagedOOMMemoryPressure
            ManagedOOMMemoryPressureLimit ManagedOOMPreference BPFProgram SocketBindAllow SocketBindDeny
            RestrictNetworkInterfaces SendSIGKILL SendSIGHUP KillMode KillSignal RestartKillSignal FinalKillSignal
            WatchdogSignal
            [Automount]
            Where ExtraOptions DirectoryMode TimeoutIdleSec
            [Swap]
            What Priority Options TimeoutSec WorkingDirectory RootDirectory RootImage RootImageOptions RootHash
            RootHashSignature RootVerity ExtensionDirectories ExtensionImages MountImages User Group
            SupplementaryGroups Nice OOMScoreAdjust CoredumpFilter IOSchedulingClass IOSchedulingPriority
            CPUSchedulingPolicy CPUSchedulingPriority CPUSchedulingResetOnFork CPUAffinity NUMAPolicy NUMAMask UMask
            Environment EnvironmentFile PassEnvironment UnsetEnvironment DynamicUser RemoveIPC StandardInput
            StandardOutput StandardError StandardInputText StandardInputData TTYPath TTYReset TTYVHangup
            TTYVTDisallocate TTYRows TTYColumns SyslogIdentifier SyslogFacility SyslogLevel SyslogLevelPrefix
            LogLevelMax LogRateLimitIntervalSec LogRateLimitBurst LogExtraFields SecureBits CapabilityBoundingSet
            AmbientCapabilities TimerSlackNSec NoNewPrivileges KeyringMode ProtectProc ProcSubset SystemCallFilter
            SystemCallArchitectures SystemCallErrorNumber SystemCallLog MemoryDenyWriteExecute RestrictNamespaces
            RestrictRealtime RestrictSUIDSGID RestrictAddressFamilies LockPersonality RestrictFileSystems LimitCPU
            LimitFSIZE LimitDATA LimitSTACK LimitCORE LimitRSS LimitNOFILE LimitAS LimitNPROC LimitMEMLOCK
            LimitLOCKS LimitSIGPENDING LimitMSGQUEUE LimitNICE LimitRTPRIO LimitRTTIME ReadWriteDirectories
            ReadOnlyDirectories InaccessibleDirectories ReadWritePaths ReadOnlyPaths InaccessiblePaths ExecPaths
            NoExecPaths ExecSearchPath BindPaths BindReadOnlyPaths TemporaryFileSystem PrivateTmp PrivateDevices
            ProtectKernelTunables ProtectKernelModules ProtectKernelLogs ProtectClock ProtectControlGroups
            NetworkNamespacePath IPCNamespacePath LogNamespace PrivateNetwork PrivateUsers PrivateMounts PrivateIPC
            ProtectSystem ProtectHome MountFlags MountAPIVFS Personality RuntimeDirectoryPreserve
            RuntimeDirectoryMode RuntimeDirectory StateDirectoryMode StateDirectory CacheDirectoryMode
            CacheDirectory LogsDirectoryMode LogsDirectory ConfigurationDirectoryMode ConfigurationDirectory
            SetCredential SetCredentialEncrypted LoadCredential LoadCredentialEncrypted TimeoutCleanSec PAMName
            IgnoreSIGPIPE UtmpIdentifier UtmpMode SELinuxContext AppArmorProfile SmackProcessLabel ProtectHostname
            Slice AllowedCPUs StartupAllowedCPUs AllowedMemoryNodes StartupAllowedMemoryNodes CPUAccounting
            CPUWeight StartupCPUWeight CPUShares StartupCPUShares CPUQuota CPUQuotaPeriodSec MemoryAccounting
            MemoryMin DefaultMemoryMin DefaultMemoryLow MemoryLow MemoryHigh MemoryMax MemorySwapMax MemoryLimit
            DeviceAllow DevicePolicy IOAccounting IOWeight StartupIOWeight IODeviceWeight IOReadBandwidthMax
            IOWriteBandwidthMax IOReadIOPSMax IOWriteIOPSMax IODeviceLatencyTargetSec BlockIOAccounting
            BlockIOWeight StartupBlockIOWeight BlockIODeviceWeight BlockIOReadBandwidth BlockIOWriteBandwidth
            TasksAccounting TasksMax Delegate DisableControllers IPAccounting IPAddressAllow IPAddressDeny
            IPIngressFilterPath IPEgressFilterPath ManagedOOMSwap ManagedOOMMemoryPressure
            ManagedOOMMemoryPressureLimit ManagedOOMPreference BPFProgram SocketBindAllow SocketBindDeny
            RestrictNetworkInterfaces SendSIGKILL SendSIGHUP KillMode KillSignal RestartKillSignal FinalKillSignal
            WatchdogSignal
            [Timer]
            OnCalendar OnActiveSec OnBootSec OnStartupSec OnUnitActiveSec OnUnitInactiveSec OnClockChange
            OnTimezoneChange Persistent WakeSystem RemainAfterElapse FixedRandomDelay AccuracySec RandomizedDelaySec
            Unit
            [Path]
            PathExists PathExistsGlob PathChanged PathModified DirectoryNotEmpty Unit MakeDirectory DirectoryMode
            TriggerLimitIntervalSec TriggerLimitBurst
            [Slice]
            Slice AllowedCPUs StartupAllowedCPUs AllowedMemoryNodes StartupAllowedMemoryNodes CPUAccounting
            CPUWeight StartupCPUWeight CPUShares StartupCPUShares CPUQuota CPUQuotaPeriodSec MemoryAccounting
            MemoryMin DefaultMemoryMin DefaultMemoryLow MemoryLow MemoryHigh MemoryMax MemorySwapMax MemoryLimit
            DeviceAllow DevicePolicy IOAccounting IOWeight StartupIOWeight IODeviceWeight IOReadBandwidthMax
            IOWriteBandwidthMax IOReadIOPSMax IOWriteIOPSMax IODeviceLatencyTargetSec BlockIOAccounting
            BlockIOWeight StartupBlockIOWeight BlockIODeviceWeight BlockIOReadBandwidth BlockIOWriteBandwidth
            TasksAccounting TasksMax Delegate DisableControllers IPAccounting IPAddressAllow IPAddressDeny
            IPIngressFilterPath IPEgressFilterPath ManagedOOMSwap ManagedOOMMemoryPressure
            ManagedOOMMemoryPressureLimit ManagedOOMPreference BPFProgram SocketBindAllow SocketBindDeny
            RestrictNetworkInterfaces
            [Scope]
            Slice AllowedCPUs StartupAllowedCPUs AllowedMemoryNodes StartupAllowedMemoryNodes CPUAccounting
            CPUWeight StartupCPUWeight CPUShares StartupCPUShares CPUQuota CPUQuotaPeriodSec MemoryAccounting
            MemoryMin DefaultMemoryMin DefaultMemoryLow MemoryLow MemoryHigh MemoryMax MemorySwapMax MemoryLimit
            DeviceAllow DevicePolicy IOAccounting IOWeight StartupIOWeight IODeviceWeight IOReadBandwidthMax
            IOWriteBandwidthMax IOReadIOPSMax IOWriteIOPSMax IODeviceLatencyTargetSec BlockIOAccounting
            BlockIOWeight StartupBlockIOWeight BlockIODeviceWeight BlockIOReadBandwidth BlockIOWriteBandwidth
            TasksAccounting TasksMax Delegate DisableControllers IPAccounting IPAddressAllow IPAddressDeny
            IPIngressFilterPath IPEgressFilterPath ManagedOOMSwap ManagedOOMMemoryPressure
            ManagedOOMMemoryPressureLimit ManagedOOMPreference BPFProgram SocketBindAllow SocketBindDeny
            RestrictNetworkInterfaces SendSIGKILL SendSIGHUP KillMode KillSignal RestartKillSignal FinalKillSignal
            WatchdogSignal RuntimeMaxSec RuntimeRandomizedExtraSec TimeoutStopSec OOMPolicy
            [Install]
            Alias WantedBy RequiredBy Also DefaultInstance
            """;

    /** Section name to its keys, in systemd's order. */
    static final Map<String, Set<String>> KEYS = parse(TABLE);

    private static Map<String, Set<String>> parse(String table) {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        Set<String> current = null;
        for (String line : table.split("\n")) {
            String t = line.strip();
            if (t.isEmpty()) continue;
            if (t.startsWith("[")) {
                current = m.computeIfAbsent(t.substring(1, t.length() - 1), k -> new LinkedHashSet<>());
                continue;
            }
            for (String k : t.split(" +")) current.add(k);
        }
        return m;
    }
}
