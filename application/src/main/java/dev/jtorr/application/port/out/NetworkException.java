package dev.jtorr.application.port.out;

/** The network refused something the user asked for, e.g. every port in the range is taken. */
public class NetworkException extends RuntimeException {
    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
