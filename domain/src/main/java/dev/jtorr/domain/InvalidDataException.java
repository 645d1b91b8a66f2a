package dev.jtorr.domain;

/**
 * Base of the domain's typed errors: some input (bytes from a file or a peer, a link, a name) does not follow the
 * rules. The message is written for the user: it says what is wrong and, where it helps, where.
 */
public class InvalidDataException extends RuntimeException {
    public InvalidDataException(String message) {
        super(message);
    }
}
