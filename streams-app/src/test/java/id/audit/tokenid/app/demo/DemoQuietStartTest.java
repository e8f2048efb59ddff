package id.audit.tokenid.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A healthy start says nothing alarming: the demo (embedded broker, service, traffic) prints
 * no WARN or ERROR line in its first 30 s. Every warning a fresh start used to print had a cause
 * that is now fixed at its source (see {@code StreamsProperties}, {@code OrgPartitionCount},
 * {@code TempDir#createForDemo}, {@code DemoCommand#quietLogs}); a new one fails this test.
 */
class DemoQuietStartTest {

    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Pattern ALARM = Pattern.compile("\\b(WARN|ERROR|FATAL)\\b|Exception in thread");

    @Test
    void printsNoWarningOrErrorInTheFirstThirtySecondsOfAHealthyStart() throws Exception {
        String firstThirtySeconds;
        try (DemoProcess demo = DemoProcess.start()) {
            // Given a demo that came up (its banner printed) and ran for at least 30 s
            await("the demo's banner and 30 s of running").atMost(STARTUP).pollInterval(Duration.ofMillis(500))
                    .until(() -> !demo.isAlive() || (demo.output().contains("TokenID metrics demo is running.")
                            && Duration.between(demo.started(), Instant.now()).compareTo(WINDOW) >= 0));
            firstThirtySeconds = demo.output();
            assertThat(demo.isAlive()).as("the demo still runs; its output:%n%s", firstThirtySeconds).isTrue();
        }

        // When its output is read
        List<String> alarms = firstThirtySeconds.lines().filter(line -> ALARM.matcher(line).find()).toList();

        // Then it started, counted sample traffic, and warned of nothing
        assertThat(firstThirtySeconds).contains("TokenID metrics demo is running.", "curl -H", "| counted ");
        assertThat(alarms).as("WARN/ERROR lines of the demo's output:%n%s", firstThirtySeconds).isEmpty();
    }
}
