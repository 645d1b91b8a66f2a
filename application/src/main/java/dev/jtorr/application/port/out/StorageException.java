package dev.jtorr.application.port.out;

/** A torrent's files cannot be used as asked: a folder that cannot be written, a full disk, a changed file. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
