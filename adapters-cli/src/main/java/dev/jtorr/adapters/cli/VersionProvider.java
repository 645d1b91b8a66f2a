package dev.jtorr.adapters.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version the build stamped into version.properties. */
public final class VersionProvider implements IVersionProvider {
    public static String version() {
        var props = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return props.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"jtorr " + version(), "Java " + Runtime.version()};
    }
}
