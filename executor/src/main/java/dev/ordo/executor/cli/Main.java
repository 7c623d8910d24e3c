package dev.ordo.executor.cli;

public final class Main {
    public static void main(String[] args) {
    }
}
