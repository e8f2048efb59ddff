package id.audit.tokenid.app.it;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the integration tests' shared broker when the test session ends, while the JVM still
 * runs normally (see {@link EmbeddedKafka#closeShared()}). Registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class SharedKafkaSession implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (EmbeddedKafka.closeShared()) {
            System.out.println("stopped the shared embedded Kafka broker at the end of the test session");
        }
    }
}
