package dev.xsched.examples.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code xsched --version}: the project version (filtered into version.properties by Maven) and the Java runtime. */
final class VersionProvider implements IVersionProvider {
    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() throws IOException {
        return new String[] {
                "xsched " + projectVersion() + " (XSched for Java)",
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }

    static String projectVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the examples jar");
            }
            properties.load(in);
        }
        return properties.getProperty("version");
    }
}
