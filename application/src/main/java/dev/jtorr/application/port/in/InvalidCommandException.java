package dev.jtorr.application.port.in;

/** A command whose arguments break its rules (a usage error: the CLI exits 2). */
public final class InvalidCommandException extends IllegalArgumentException {
    public InvalidCommandException(String message) {
        super(message);
    }
}
