package dev.ordo.planner.config.systemd;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ordo run} does with each directive of systemd 252 ({@link UnitDirectives}): the one table of
 * it. The reader reports ORD025 for a directive given that is {@link Support#reported() not applied}, and
 * docs/systemd.md shows the table (a test keeps the two equal). It says what this branch really does: read
 * {@code UnitJobBuilder}, {@code UnitExecContext}, {@code ImplicitDependencies}, the engine and the
 * executor's spawner before changing a line, and change the line when they change.
 *
 * <p>One line per directive: {@code NAME SUPPORT [=VALUE] what ordo run does [| hint]}. NAME is a key
 * (every section that has it), {@code Section.Key} where one section differs, {@code Condition*},
 * {@code Assert*} and {@code Limit*} for families one piece of code treats alike, or {@code Exec*=P} for the
 * prefix P of an Exec*= command line. {@code =VALUE} is the value that asks systemd for what ordo run does
 * anyway (a boolean in any of systemd's spellings; {@code =A|B} for several); a unit that gives it is not reported. The text follows
 * "X= is not applied by ordo run: " in a message, so it says what happens instead.
 */
final class DirectiveSupport {

    /** What ordo run does with a directive. */
    enum Support {
        /** Done as systemd does it. */
        APPLIED("applied"),
        /** Done as the nearest thing ordo run can do; the text says how it differs. */
        CLAMPED("clamped"),
        /** Only the relations it implies are had (the order of the plan and of the run), not its own effect. */
        ORDER_ONLY("order only"),
        /** Read (kept as written, or read into the model that ordo run then ignores), but what it asks is not done. */
        NOT_APPLIED("not applied"),
        /** Not a run-time directive in systemd either: documentation, or enablement by {@code systemctl enable}. */
        NOT_RUN_TIME("not at run time");

        /** How docs/systemd.md names it. */
        final String label;

        Support(String label) {
            this.label = label;
        }

        /** Whether a unit that gives the directive hears of it (ORD025): ordo run would do otherwise than systemd. */
        boolean reported() {
            return this == ORDER_ONLY || this == NOT_APPLIED;
        }
    }

    /** One line of the table; {@code asOrdo} (the value that asks for what ordo run does anyway) and {@code hint} may be null. */
    record SupportEntry(String name, Support support, String asOrdo, String what, String hint) {
    }

    /** How a line names a prefix of Exec*= command lines. */
    static final String EXEC_PREFIX = "Exec*=";

    private static final String TABLE = """
            Description               APPLIED      the job's description
            Documentation             NOT_RUN_TIME for people (`systemctl help`); ordo does not show it
            SourcePath                NOT_RUN_TIME where a generated unit came from; shown, never acted on
            Requires                  APPLIED      pulls the unit in; with After=, its failure fails this one
            Requisite                 APPLIED      the unit must be up already; it is not pulled in
            Wants                     APPLIED      pulls the unit in; its failure is ignored
            BindsTo                   APPLIED      as Requires=, and this unit stops when that one stops
            BindTo                    APPLIED      the old name of BindsTo=
            Upholds                   NOT_APPLIED  the units named are not restarted when they stop
            Conflicts                 APPLIED      starting one stops the other
            Before                    APPLIED      starts before the unit, stops after it
            After                     APPLIED      starts after the unit is up, stops before it
            OnSuccess                 APPLIED      the unit is started when this one ends successfully
            OnFailure                 APPLIED      the unit is started when this one fails
            PropagatesReloadTo        NOT_APPLIED  a reload of this unit does not reach the units named
            PropagateReloadTo         NOT_APPLIED  a reload of this unit does not reach the units named
            ReloadPropagatedFrom      NOT_APPLIED  a reload of the units named does not reach this one
            PropagateReloadFrom       NOT_APPLIED  a reload of the units named does not reach this one
            PropagatesStopTo          NOT_APPLIED  a stop of this unit does not reach the units named
            StopPropagatedFrom        NOT_APPLIED  a stop of the units named does not reach this one
            PartOf                    APPLIED      a stop or restart of the unit reaches this one
            JoinsNamespaceOf          NOT_APPLIED  no namespace is made to share
            RequiresOverridable       NOT_APPLIED  no relation is made (systemd reads it as Requires=) | write Requires=
            RequisiteOverridable      NOT_APPLIED  no relation is made (systemd reads it as Requisite=) | write Requisite=
            RequiresMountsFor         NOT_APPLIED  no Requires= and After= on the mounts of these paths
            StopWhenUnneeded          NOT_APPLIED  =no the unit stays up when nothing needs it any more
            RefuseManualStart         NOT_APPLIED  =no `ordo start` starts it all the same
            RefuseManualStop          NOT_APPLIED  =no `ordo stop` stops it all the same
            AllowIsolate              NOT_APPLIED  =no there is no isolate in ordo
            IgnoreOnIsolate           NOT_APPLIED  =no there is no isolate in ordo
            DefaultDependencies       APPLIED      the implicit and default relations, or none
            OnSuccessJobMode          NOT_APPLIED  the OnSuccess= units are started as `ordo start` starts them
            OnFailureJobMode          NOT_APPLIED  the OnFailure= units are started as `ordo start` starts them
            OnFailureIsolate          NOT_APPLIED  =no there is no isolate in ordo
            JobTimeoutSec             NOT_APPLIED  =infinity a start or stop of the unit may wait for ever
            JobRunningTimeoutSec      NOT_APPLIED  =infinity a start or stop of the unit may wait for ever
            JobTimeoutAction          NOT_APPLIED  =none nothing is done when a start or stop takes too long
            JobTimeoutRebootArgument  NOT_APPLIED  nothing is done when a start or stop takes too long
            StartLimitIntervalSec     CLAMPED      the window of the respawn limit, which counts restarts, not every start
            StartLimitInterval        CLAMPED      the old name of StartLimitIntervalSec=
            StartLimitBurst           CLAMPED      the respawn limit, which counts restarts, not every start
            StartLimitAction          NOT_APPLIED  =none nothing is done when the start limit is hit
            FailureAction             NOT_APPLIED  =none nothing is done when the unit fails (no reboot, no power-off)
            SuccessAction             NOT_APPLIED  =none nothing is done when the unit ends (no reboot, no power-off)
            FailureActionExitStatus   NOT_APPLIED  nothing is done when the unit fails
            SuccessActionExitStatus   NOT_APPLIED  nothing is done when the unit ends
            RebootArgument            NOT_APPLIED  nothing is rebooted
            Condition*                APPLIED      tested when the unit starts; one not met skips the unit, and what waits for it goes on
            Assert*                   APPLIED      tested when the unit starts, after the conditions; one not met fails the start
            CollectMode               NOT_APPLIED  a unit is unloaded by ordo run's own rule, whatever the mode
            PIDFile                   APPLIED      with Type=forking, the process the file names when the launcher exits is the service (a stale file naming an older process is not believed)
            ExecCondition             APPLIED      run before ExecStartPre=, each line in turn: 1 to 254 skips the unit without failing it, 255 or a signal fails it
            ExecStartPre              APPLIED      the pre-start commands, each line a process of its own, the next only after a success
            ExecStart                 APPLIED      the main process; several lines (Type=oneshot) run in turn, each a process of its own
            ExecStartPost             APPLIED      the post-start commands
            ExecReload                APPLIED      what `ordo reload` runs, with $MAINPID; answered when it ends, and a failure leaves the service running
            ExecStop                  APPLIED      the pre-stop commands, run before the stop signal
            ExecStopPre               APPLIED      the pre-stop commands of a socket
            ExecStopPost              APPLIED      the post-stop commands
            Exec*=-                   APPLIED      a failing exit (or a program that cannot be run) counts as success
            Exec*=@                   APPLIED      the second word is argv[0]; lost when a setting runs the command through a helper (nice, prlimit, setpriv)
            Exec*=:                   APPLIED      no variable is expanded in the line
            Exec*=+                   CLAMPED      the line runs without User= and Group= (ordo applies no other sandboxing to lift)
            Exec*=!                   APPLIED      the line runs without User= and Group=
            Exec*=!!                  CLAMPED      as `!`: ordo does not apply AmbientCapabilities=, so this is the system without ambient capabilities the prefix is for
            Exec*=$VAR                APPLIED      $VAR as a word of its own splits into words, ${VAR} anywhere is one word, against the environment of that start
            RestartSec                APPLIED      how long after the exit a restart comes (100 ms by default); the job waits in post-stop meanwhile
            TimeoutSec                CLAMPED      the stop timeout, then SIGKILL; a start timeout for Type=notify only
            TimeoutStartSec           CLAMPED      for Type=notify only; the other types may take as long as they like to start
            TimeoutStopSec            APPLIED      how long a stop may take before SIGKILL (0 for ever)
            TimeoutAbortSec           NOT_APPLIED  there is no watchdog, so nothing is aborted
            TimeoutStartFailureMode   NOT_APPLIED  =terminate a start that times out is stopped as any stop is
            TimeoutStopFailureMode    NOT_APPLIED  =terminate a stop that times out ends with SIGKILL
            RuntimeMaxSec             NOT_APPLIED  =infinity the service may run for ever
            RuntimeRandomizedExtraSec NOT_APPLIED  =0 the service may run for ever
            WatchdogSec               NOT_APPLIED  =0 WATCHDOG=1 is not awaited, and a hung service is not restarted
            Type                      CLAMPED      simple, forking, oneshot, notify, dbus as systemd; exec and idle as simple; notify-reload as notify
            Mount.Type                ORDER_ONLY   nothing is mounted (a network file system still orders the mount after the network)
            ExitType                  NOT_APPLIED  =main the service ends when its main process ends
            Restart                   CLAMPED      no, always, on-failure as systemd; on-abnormal, on-abort, on-watchdog as on-failure; on-success as always
            PermissionsStartOnly      NOT_APPLIED  =no every command runs with User=, Group= and the rest
            RootDirectoryStartOnly    NOT_APPLIED  =no every command runs alike
            RemainAfterExit           APPLIED      a oneshot is up when its last line exits successfully, and stays up with no process until stopped
            GuessMainPID              NOT_APPLIED  =yes the main process of Type=forking is the one ordo run follows
            RestartPreventExitStatus  CLAMPED      these exits are not restarted, and do not count as failures either
            RestartForceExitStatus    NOT_APPLIED  these exits are restarted only as Restart= says
            SuccessExitStatus         APPLIED      these exits count as success, as exit 0 does
            NonBlocking               NOT_APPLIED  =no no file descriptor is passed to the service
            BusName                   APPLIED      the service is up once the name is owned on the system bus (asked with dbus-send); it also requires dbus.socket
            FileDescriptorStoreMax    NOT_APPLIED  =0 there is no file descriptor store
            NotifyAccess              NOT_APPLIED  =all any process with $NOTIFY_SOCKET may notify, and only Type=notify gets the socket
            Sockets                   APPLIED      the listening sockets of the units named are passed to the service too (each is wanted and ordered before it)
            USBFunctionDescriptors    NOT_APPLIED  no USB function is set up
            USBFunctionStrings        NOT_APPLIED  no USB function is set up
            OOMPolicy                 NOT_APPLIED  an OOM kill is an exit by SIGKILL like any other
            WorkingDirectory          APPLIED      the processes start in it; with `-` a missing one is no error (they start in /), `~` is the home of User=
            RootDirectory             NOT_APPLIED  the spawner does not chroot, so the job fails to start
            RootImage                 NOT_APPLIED  no image is mounted; the service runs on the host's file systems
            RootImageOptions          NOT_APPLIED  no image is mounted; the service runs on the host's file systems
            RootHash                  NOT_APPLIED  no image is mounted; the service runs on the host's file systems
            RootHashSignature         NOT_APPLIED  no image is mounted; the service runs on the host's file systems
            RootVerity                NOT_APPLIED  no image is mounted; the service runs on the host's file systems
            ExtensionDirectories      NOT_APPLIED  no image is mounted; the service runs on the host's file systems
            ExtensionImages           NOT_APPLIED  no image is mounted; the service runs on the host's file systems
            MountImages               NOT_APPLIED  no image is mounted; the service runs on the host's file systems
            User                      APPLIED      the processes run as the user, with its groups (setpriv)
            Group                     APPLIED      the processes run with this group (setpriv)
            SupplementaryGroups       APPLIED      groups the processes have besides those of User= (setpriv)
            DynamicUser               NOT_APPLIED  =no no user is made; the processes run as User=, or as the supervisor does
            Nice                      APPLIED      set with nice(1) before the command starts
            OOMScoreAdjust            CLAMPED      written to /proc/self/oom_score_adj before the command starts; without CAP_SYS_RESOURCE, a score below ordo's own becomes ordo's, logged once
            CoredumpFilter            NOT_APPLIED  the processes keep the supervisor's core dump filter
            IOSchedulingClass         NOT_APPLIED  the processes keep the supervisor's I/O scheduling
            IOSchedulingPriority      NOT_APPLIED  the processes keep the supervisor's I/O scheduling
            CPUSchedulingPolicy       NOT_APPLIED  the processes keep the supervisor's CPU scheduling
            CPUSchedulingPriority     NOT_APPLIED  the processes keep the supervisor's CPU scheduling
            CPUSchedulingResetOnFork  NOT_APPLIED  =no the processes keep the supervisor's CPU scheduling
            CPUAffinity               NOT_APPLIED  the processes run on the supervisor's CPUs
            NUMAPolicy                NOT_APPLIED  the processes keep the supervisor's NUMA memory policy
            NUMAMask                  NOT_APPLIED  the processes keep the supervisor's NUMA memory policy
            UMask                     APPLIED      set by a shell before the command starts
            Environment               APPLIED      the processes' environment, after PATH and TERM
            EnvironmentFile           APPLIED      read at every start, over Environment=; `-` for a file that may be missing
            PassEnvironment           NOT_APPLIED  only PATH and TERM come from the supervisor's environment
            UnsetEnvironment          NOT_APPLIED  the variables stay set
            RemoveIPC                 NOT_APPLIED  =no the user's IPC objects stay when the service stops
            StandardInput             NOT_APPLIED  =null|socket standard input is /dev/null (socket: a per-connection service's connection)
            StandardOutput            CLAMPED      `null`, `file:`, `append:`, `truncate:`, `inherit` and `socket` as systemd; journal, syslog, kmsg, tty and console write to the job's log (`ordo log`), still ordered after systemd-journald.socket
            StandardError             CLAMPED      `null`, `file:`, `append:`, `truncate:`, `inherit` and `socket` as systemd; journal, syslog, kmsg, tty and console write to the job's log (`ordo log`), still ordered after systemd-journald.socket
            StandardInputText         NOT_APPLIED  standard input is /dev/null
            StandardInputData         NOT_APPLIED  standard input is /dev/null
            TTYPath                   NOT_APPLIED  no terminal is opened
            TTYReset                  NOT_APPLIED  =no no terminal is reset
            TTYVHangup                NOT_APPLIED  =no no terminal is hung up
            TTYVTDisallocate          NOT_APPLIED  =no no terminal is deallocated
            TTYRows                   NOT_APPLIED  no terminal is sized
            TTYColumns                NOT_APPLIED  no terminal is sized
            SyslogIdentifier          NOT_APPLIED  the output goes to the job's log, not to syslog or the journal
            SyslogFacility            NOT_APPLIED  the output goes to the job's log, not to syslog or the journal
            SyslogLevel               NOT_APPLIED  the output goes to the job's log, not to syslog or the journal
            SyslogLevelPrefix         NOT_APPLIED  the output goes to the job's log, not to syslog or the journal
            LogLevelMax               NOT_APPLIED  the output goes to the job's log, not to syslog or the journal
            LogRateLimitIntervalSec   NOT_APPLIED  the output goes to the job's log, not to syslog or the journal
            LogRateLimitBurst         NOT_APPLIED  the output goes to the job's log, not to syslog or the journal
            LogExtraFields            NOT_APPLIED  the output goes to the job's log, not to syslog or the journal
            LogNamespace              NOT_APPLIED  the output goes to the job's log, not to syslog or the journal
            SecureBits                NOT_APPLIED  the processes keep the supervisor's privileges
            CapabilityBoundingSet     NOT_APPLIED  the processes keep the supervisor's capabilities
            AmbientCapabilities       NOT_APPLIED  no capability is granted
            TimerSlackNSec            NOT_APPLIED  the processes keep the supervisor's timer slack
            NoNewPrivileges           NOT_APPLIED  =no the service runs without this sandboxing
            KeyringMode               NOT_APPLIED  the processes share the supervisor's session keyring
            ProtectProc               NOT_APPLIED  =default the service runs without this sandboxing
            ProcSubset                NOT_APPLIED  =all the service runs without this sandboxing
            SystemCallFilter          NOT_APPLIED  the service runs without this sandboxing
            SystemCallArchitectures   NOT_APPLIED  the service runs without this sandboxing
            SystemCallErrorNumber     NOT_APPLIED  the service runs without this sandboxing
            SystemCallLog             NOT_APPLIED  the service runs without this sandboxing
            MemoryDenyWriteExecute    NOT_APPLIED  =no the service runs without this sandboxing
            RestrictNamespaces        NOT_APPLIED  =no the service runs without this sandboxing
            RestrictRealtime          NOT_APPLIED  =no the service runs without this sandboxing
            RestrictSUIDSGID          NOT_APPLIED  =no the service runs without this sandboxing
            RestrictAddressFamilies   NOT_APPLIED  the service runs without this sandboxing
            LockPersonality           NOT_APPLIED  =no the service runs without this sandboxing
            RestrictFileSystems       NOT_APPLIED  the service runs without this sandboxing
            Limit*                    CLAMPED      set with prlimit(1) before the command starts; without CAP_SYS_RESOURCE, a hard limit above ordo's own becomes ordo's, logged once
            ReadWriteDirectories      NOT_APPLIED  the service runs without this sandboxing
            ReadOnlyDirectories       NOT_APPLIED  the service runs without this sandboxing
            InaccessibleDirectories   NOT_APPLIED  the service runs without this sandboxing
            ReadWritePaths            NOT_APPLIED  the service runs without this sandboxing
            ReadOnlyPaths             NOT_APPLIED  the service runs without this sandboxing
            InaccessiblePaths         NOT_APPLIED  the service runs without this sandboxing
            ExecPaths                 NOT_APPLIED  the service runs without this sandboxing
            NoExecPaths               NOT_APPLIED  the service runs without this sandboxing
            ExecSearchPath            NOT_APPLIED  a plain program name is looked up in systemd's fixed search path
            BindPaths                 NOT_APPLIED  the service runs without this sandboxing
            BindReadOnlyPaths         NOT_APPLIED  the service runs without this sandboxing
            TemporaryFileSystem       NOT_APPLIED  the service runs without this sandboxing
            PrivateTmp                ORDER_ONLY   =no the service shares the system's /tmp (it is still ordered after tmp.mount)
            PrivateDevices            NOT_APPLIED  =no the service runs without this sandboxing
            ProtectKernelTunables     NOT_APPLIED  =no the service runs without this sandboxing
            ProtectKernelModules      NOT_APPLIED  =no the service runs without this sandboxing
            ProtectKernelLogs         NOT_APPLIED  =no the service runs without this sandboxing
            ProtectClock              NOT_APPLIED  =no the service runs without this sandboxing
            ProtectControlGroups      NOT_APPLIED  =no the service runs without this sandboxing
            NetworkNamespacePath      NOT_APPLIED  the service runs without this sandboxing
            IPCNamespacePath          NOT_APPLIED  the service runs without this sandboxing
            PrivateNetwork            NOT_APPLIED  =no the service runs without this sandboxing
            PrivateUsers              NOT_APPLIED  =no the service runs without this sandboxing
            PrivateMounts             NOT_APPLIED  =no the service runs without this sandboxing
            PrivateIPC                NOT_APPLIED  =no the service runs without this sandboxing
            ProtectSystem             NOT_APPLIED  =no the service runs without this sandboxing
            ProtectHome               NOT_APPLIED  =no the service runs without this sandboxing
            MountFlags                NOT_APPLIED  the service runs without this sandboxing
            MountAPIVFS               NOT_APPLIED  =no the service runs without this sandboxing
            Personality               NOT_APPLIED  the processes keep the supervisor's personality
            RuntimeDirectory          APPLIED      made below /run before the first process, owned by User=/Group=, in $RUNTIME_DIRECTORY; removed when the job stops
            RuntimeDirectoryMode      APPLIED      the mode of the runtime directories
            RuntimeDirectoryPreserve  CLAMPED      yes keeps the directories; no and restart both remove them when the job stops, and keep them across a restart
            StateDirectory            APPLIED      made below /var/lib before the first process, owned by User=/Group=, in $STATE_DIRECTORY
            StateDirectoryMode        APPLIED      the mode of the state directories
            CacheDirectory            APPLIED      made below /var/cache before the first process, owned by User=/Group=, in $CACHE_DIRECTORY
            CacheDirectoryMode        APPLIED      the mode of the cache directories
            LogsDirectory             APPLIED      made below /var/log before the first process, owned by User=/Group=, in $LOGS_DIRECTORY
            LogsDirectoryMode         APPLIED      the mode of the logs directories
            ConfigurationDirectory    APPLIED      made below /etc before the first process, owned by User=/Group=, in $CONFIGURATION_DIRECTORY
            ConfigurationDirectoryMode APPLIED     the mode of the configuration directories
            SetCredential             NOT_APPLIED  no credential is passed ($CREDENTIALS_DIRECTORY is not set)
            SetCredentialEncrypted    NOT_APPLIED  no credential is passed ($CREDENTIALS_DIRECTORY is not set)
            LoadCredential            NOT_APPLIED  no credential is passed ($CREDENTIALS_DIRECTORY is not set)
            LoadCredentialEncrypted   NOT_APPLIED  no credential is passed ($CREDENTIALS_DIRECTORY is not set)
            TimeoutCleanSec           NOT_APPLIED  there is no clean in ordo
            PAMName                   NOT_APPLIED  no PAM session is opened
            IgnoreSIGPIPE             NOT_APPLIED  =no SIGPIPE keeps its default action, as with IgnoreSIGPIPE=no
            UtmpIdentifier            NOT_APPLIED  no utmp or wtmp record is written
            UtmpMode                  NOT_APPLIED  no utmp or wtmp record is written
            SELinuxContext            NOT_APPLIED  the processes keep the supervisor's security context
            AppArmorProfile           NOT_APPLIED  the processes keep the supervisor's security context
            SmackProcessLabel         NOT_APPLIED  the processes keep the supervisor's security context
            ProtectHostname           NOT_APPLIED  =no the service runs without this sandboxing
            Slice                     ORDER_ONLY   the unit's cgroup is not put in the slice (the slice is still required and ordered before it)
            Slice.Slice               NOT_APPLIED  a slice's parent is the one its name gives
            AllowedCPUs               NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            StartupAllowedCPUs        NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            AllowedMemoryNodes        NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            StartupAllowedMemoryNodes NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            CPUAccounting             NOT_APPLIED  =no no cgroup controller is enabled, so nothing is accounted
            CPUWeight                 NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            StartupCPUWeight          NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            CPUShares                 NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            StartupCPUShares          NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            CPUQuota                  NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            CPUQuotaPeriodSec         NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            MemoryAccounting          NOT_APPLIED  =no no cgroup controller is enabled, so nothing is accounted
            MemoryMin                 NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            DefaultMemoryMin          NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            DefaultMemoryLow          NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            MemoryLow                 NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            MemoryHigh                NOT_APPLIED  =infinity no cgroup controller is enabled, so nothing is limited
            MemoryMax                 NOT_APPLIED  =infinity no cgroup controller is enabled, so nothing is limited
            MemorySwapMax             NOT_APPLIED  =infinity no cgroup controller is enabled, so nothing is limited
            MemoryLimit               NOT_APPLIED  =infinity no cgroup controller is enabled, so nothing is limited
            DeviceAllow               NOT_APPLIED  no cgroup controller is enabled, so the service runs without this sandboxing
            DevicePolicy              NOT_APPLIED  =auto no cgroup controller is enabled, so the service runs without this sandboxing
            IOAccounting              NOT_APPLIED  =no no cgroup controller is enabled, so nothing is accounted
            IOWeight                  NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            StartupIOWeight           NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            IODeviceWeight            NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            IOReadBandwidthMax        NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            IOWriteBandwidthMax       NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            IOReadIOPSMax             NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            IOWriteIOPSMax            NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            IODeviceLatencyTargetSec  NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            BlockIOAccounting         NOT_APPLIED  =no no cgroup controller is enabled, so nothing is accounted
            BlockIOWeight             NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            StartupBlockIOWeight      NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            BlockIODeviceWeight       NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            BlockIOReadBandwidth      NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            BlockIOWriteBandwidth     NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            TasksAccounting           NOT_APPLIED  =no no cgroup controller is enabled, so nothing is accounted
            TasksMax                  NOT_APPLIED  =infinity no cgroup controller is enabled, so nothing is limited
            Delegate                  NOT_APPLIED  =no no cgroup controller is enabled, so nothing is delegated
            DisableControllers        NOT_APPLIED  no cgroup controller is enabled, so nothing is limited
            IPAccounting              NOT_APPLIED  =no no cgroup controller is enabled, so nothing is accounted
            IPAddressAllow            NOT_APPLIED  no cgroup controller is enabled, so the service runs without this sandboxing
            IPAddressDeny             NOT_APPLIED  no cgroup controller is enabled, so the service runs without this sandboxing
            IPIngressFilterPath       NOT_APPLIED  no cgroup controller is enabled, so the service runs without this sandboxing
            IPEgressFilterPath        NOT_APPLIED  no cgroup controller is enabled, so the service runs without this sandboxing
            ManagedOOMSwap            NOT_APPLIED  =auto no cgroup controller is enabled, so systemd-oomd does not watch the service
            ManagedOOMMemoryPressure  NOT_APPLIED  =auto no cgroup controller is enabled, so systemd-oomd does not watch the service
            ManagedOOMMemoryPressureLimit NOT_APPLIED no cgroup controller is enabled, so systemd-oomd does not watch the service
            ManagedOOMPreference      NOT_APPLIED  =none no cgroup controller is enabled, so systemd-oomd does not watch the service
            BPFProgram                NOT_APPLIED  no cgroup controller is enabled, so the service runs without this sandboxing
            SocketBindAllow           NOT_APPLIED  no cgroup controller is enabled, so the service runs without this sandboxing
            SocketBindDeny            NOT_APPLIED  no cgroup controller is enabled, so the service runs without this sandboxing
            RestrictNetworkInterfaces NOT_APPLIED  no cgroup controller is enabled, so the service runs without this sandboxing
            SendSIGKILL               APPLIED      with no, nothing follows TimeoutStopSec=: the processes are left and the stop goes on
            SendSIGHUP                APPLIED      SIGHUP right after the stop signal
            KillMode                  CLAMPED      as systemd where ordo may make cgroups (each start in its own); elsewhere the unit's processes are those that carry its start's INVOCATION_ID, so one that clears its environment escapes
            KillSignal                APPLIED      the stop signal, sent to the process group
            RestartKillSignal         NOT_APPLIED  a restart stops the service with KillSignal=
            FinalKillSignal           APPLIED      what ends a stop that timed out, and what a stop left behind
            WatchdogSignal            NOT_APPLIED  there is no watchdog
            ListenStream              APPLIED      opened and bound when the socket starts, passed to its service in $LISTEN_FDS; traffic on it starts the service
            ListenDatagram            APPLIED      opened and bound when the socket starts, passed to its service in $LISTEN_FDS; traffic on it starts the service
            ListenSequentialPacket    APPLIED      opened and bound when the socket starts, passed to its service in $LISTEN_FDS; traffic on it starts the service
            ListenFIFO                APPLIED      opened and bound when the socket starts, passed to its service in $LISTEN_FDS; traffic on it starts the service
            ListenNetlink             NOT_APPLIED  no socket is opened, and the service starts by its own relations
            ListenSpecial             NOT_APPLIED  no socket is opened, and the service starts by its own relations
            ListenMessageQueue        NOT_APPLIED  no socket is opened, and the service starts by its own relations
            ListenUSBFunction         NOT_APPLIED  no socket is opened, and the service starts by its own relations
            SocketProtocol            NOT_APPLIED  the socket has its type's default protocol (TCP, UDP)
            BindIPv6Only              APPLIED      IPV6_V6ONLY on the IPv6 sockets, or the kernel's default
            Backlog                   APPLIED      the backlog of listen(2), which net.core.somaxconn caps
            BindToDevice              NOT_APPLIED  the socket is not bound to the network device
            SocketUser                APPLIED      the owner of the socket and FIFO nodes in the file system
            SocketGroup               APPLIED      the group of the socket and FIFO nodes in the file system
            SocketMode                APPLIED      the mode of the socket and FIFO nodes in the file system
            Socket.DirectoryMode      APPLIED      the mode of the directories made above a socket or FIFO node
            DirectoryMode             NOT_APPLIED  no directory is made
            Accept                    APPLIED      yes: each connection is accepted and given, as fd 3, to an instance of the service template of its own
            FlushPending              NOT_APPLIED  =no what is queued on the socket stays when the service ends
            Writable                  NOT_APPLIED  =no no special file is opened (ListenSpecial= is not applied)
            MaxConnections            APPLIED      more connections at once than this are closed as they come
            MaxConnectionsPerSource   NOT_APPLIED  connections are not counted per source address
            KeepAlive                 NOT_APPLIED  =no SO_KEEPALIVE is not set
            KeepAliveTimeSec          NOT_APPLIED  the kernel's TCP keepalive settings are kept
            KeepAliveIntervalSec      NOT_APPLIED  the kernel's TCP keepalive settings are kept
            KeepAliveProbes           NOT_APPLIED  the kernel's TCP keepalive settings are kept
            DeferAcceptSec            NOT_APPLIED  =0 TCP_DEFER_ACCEPT is not set
            NoDelay                   NOT_APPLIED  =no TCP_NODELAY is not set
            Priority                  NOT_APPLIED  SO_PRIORITY is not set
            Swap.Priority             NOT_APPLIED  no swap is turned on
            ReceiveBuffer             NOT_APPLIED  the kernel's default buffer sizes are kept
            SendBuffer                NOT_APPLIED  the kernel's default buffer sizes are kept
            IPTOS                     NOT_APPLIED  the kernel's default is kept
            IPTTL                     NOT_APPLIED  the kernel's default is kept
            Mark                      NOT_APPLIED  the kernel's default is kept
            PipeSize                  NOT_APPLIED  the FIFO keeps the kernel's default size
            FreeBind                  APPLIED      IP_FREEBIND on the IP sockets
            Transparent               NOT_APPLIED  =no IP_TRANSPARENT is not set
            Broadcast                 NOT_APPLIED  =no SO_BROADCAST is not set
            PassCredentials           NOT_APPLIED  =no SO_PASSCRED is not set
            PassSecurity              NOT_APPLIED  =no SO_PASSSEC is not set
            PassPacketInfo            NOT_APPLIED  =no no packet information is asked for
            Timestamping              NOT_APPLIED  =off no timestamps are asked for
            TCPCongestion             NOT_APPLIED  the kernel's congestion algorithm is kept
            ReusePort                 APPLIED      SO_REUSEPORT on the IP sockets
            MessageQueueMaxMessages   NOT_APPLIED  no message queue is opened (ListenMessageQueue= is not applied)
            MessageQueueMessageSize   NOT_APPLIED  no message queue is opened (ListenMessageQueue= is not applied)
            RemoveOnStop              APPLIED      the socket and FIFO nodes and their symlinks are removed when the socket stops
            Symlinks                  APPLIED      links to the socket or FIFO node, made when it is bound (a link that cannot be made is logged, not fatal)
            FileDescriptorName        APPLIED      the name of the socket's descriptors in $LISTEN_FDNAMES
            Service                   APPLIED      the service that traffic on the socket starts, and that is given its descriptors
            TriggerLimitIntervalSec   APPLIED      the window of the trigger limit: more activations in it fail the socket
            TriggerLimitBurst         APPLIED      the activations the trigger limit allows in its window
            Path.TriggerLimitIntervalSec NOT_APPLIED  nothing is triggered (no path is watched)
            Path.TriggerLimitBurst    NOT_APPLIED  nothing is triggered (no path is watched)
            SmackLabel                NOT_APPLIED  no security label is set
            SmackLabelIPIn            NOT_APPLIED  no security label is set
            SmackLabelIPOut           NOT_APPLIED  no security label is set
            SELinuxContextFromNet     NOT_APPLIED  =no the service keeps its own security context
            What                      ORDER_ONLY   nothing is mounted or swapped on (What= still binds the unit to its device)
            Where                     ORDER_ONLY   nothing is mounted (Where= still orders it after the mounts above it)
            Automount.Where           NOT_APPLIED  no automount point is set up
            Options                   ORDER_ONLY   nothing is mounted (nofail and _netdev still change the order)
            Swap.Options              NOT_APPLIED  no swap is turned on
            SloppyOptions             NOT_APPLIED  nothing is mounted
            LazyUnmount               NOT_APPLIED  nothing is mounted
            ForceUnmount              NOT_APPLIED  nothing is mounted
            ReadWriteOnly             NOT_APPLIED  nothing is mounted
            ExtraOptions              NOT_APPLIED  no automount point is set up
            TimeoutIdleSec            NOT_APPLIED  no automount point is set up
            OnCalendar                ORDER_ONLY   the timer never elapses (OnCalendar= still orders it after time-sync.target)
            OnActiveSec               NOT_APPLIED  the timer never elapses
            OnBootSec                 NOT_APPLIED  the timer never elapses
            OnStartupSec              NOT_APPLIED  the timer never elapses
            OnUnitActiveSec           NOT_APPLIED  the timer never elapses
            OnUnitInactiveSec         NOT_APPLIED  the timer never elapses
            OnClockChange             NOT_APPLIED  =no the timer never elapses
            OnTimezoneChange          NOT_APPLIED  =no the timer never elapses
            Persistent                NOT_APPLIED  =no the timer never elapses
            WakeSystem                NOT_APPLIED  =no the timer never elapses
            RemainAfterElapse         NOT_APPLIED  the timer never elapses
            FixedRandomDelay          NOT_APPLIED  =no the timer never elapses
            AccuracySec               NOT_APPLIED  the timer never elapses
            RandomizedDelaySec        NOT_APPLIED  =0 the timer never elapses
            Unit                      ORDER_ONLY   the timer or path does not start the unit (it is still ordered before it)
            PathExists                NOT_APPLIED  the path is not watched, so nothing is triggered
            PathExistsGlob            NOT_APPLIED  the path is not watched, so nothing is triggered
            PathChanged               NOT_APPLIED  the path is not watched, so nothing is triggered
            PathModified              NOT_APPLIED  the path is not watched, so nothing is triggered
            DirectoryNotEmpty         NOT_APPLIED  the path is not watched, so nothing is triggered
            MakeDirectory             NOT_APPLIED  =no the directory is not made
            Alias                     APPLIED      the unit answers to this name too, as if it were enabled
            WantedBy                  NOT_RUN_TIME for `systemctl enable`; ordo reads the .wants/ links that exist
            RequiredBy                NOT_RUN_TIME for `systemctl enable`; ordo reads the .requires/ links that exist
            Also                      NOT_RUN_TIME for `systemctl enable`; ordo enables nothing
            DefaultInstance           NOT_RUN_TIME for `systemctl enable`; ordo enables nothing
            """;

    /** Every line, in the table's order. */
    static final List<SupportEntry> ENTRIES = parse(TABLE);

    private DirectiveSupport() {
    }

    /**
     * The line for {@code key} in {@code section}: the section's own line, else the key's, else its family's;
     * null for a key of the user's ({@code X-}) or one systemd does not know (ORD021 reports that).
     */
    static SupportEntry of(String section, String key) {
        SupportEntry general = null;
        SupportEntry family = null;
        for (SupportEntry e : ENTRIES) {
            String n = e.name();
            if (n.equals(section + "." + key)) return e;
            if (n.equals(key)) general = e;
            else if (n.endsWith("*") && !n.startsWith(EXEC_PREFIX) && key.startsWith(n.substring(0, n.length() - 1))) family = e;
        }
        return general != null ? general : family;
    }

    /** The line for the prefix {@code p} ({@code -}, {@code @}, {@code :}, {@code +}, {@code !}, {@code !!}) of an Exec*= line. */
    static SupportEntry execPrefix(String p) {
        for (SupportEntry e : ENTRIES) if (e.name().equals(EXEC_PREFIX + p)) return e;
        throw new IllegalArgumentException("not an Exec*= prefix: " + p);
    }

    /** Whether {@code value} asks systemd for what ordo run does anyway (booleans in any spelling; {@code a|b}: either). */
    static boolean asOrdo(SupportEntry e, String value) {
        if (e.asOrdo() == null) return false;
        for (String v : e.asOrdo().split("\\|")) {
            if (v.equals(value)) return true;
            try {
                if (UnitValues.bool(v) == UnitValues.bool(value)) return true;
            } catch (IllegalArgumentException notBoolean) {
                // not a boolean: only the same word asks for it
            }
        }
        return false;
    }

    private static List<SupportEntry> parse(String table) {
        List<SupportEntry> out = new ArrayList<>();
        for (String line : table.split("\n")) {
            String t = line.strip();
            if (t.isEmpty()) continue;
            String[] w = t.split(" +", 3);
            String rest = w[2];
            String asOrdo = null;
            if (rest.startsWith("=")) {
                int sp = rest.indexOf(' ');
                asOrdo = rest.substring(1, sp);
                rest = rest.substring(sp + 1);
            }
            int bar = rest.indexOf(" | ");
            String what = bar < 0 ? rest : rest.substring(0, bar);
            String hint = bar < 0 ? null : rest.substring(bar + 3);
            out.add(new SupportEntry(w[0], Support.valueOf(w[1]), asOrdo, what, hint));
        }
        return List.copyOf(out);
    }
}
