package id.audit.tokenid.app;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.config.AppConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** application.server comes from the customer server's real port when it was asked for port 0. */
class ServiceAdvertisedAddressTest {

    @Test
    void takesTheBoundPortWhenTheAdvertisedPortIsZero() {
        AppConfig config = config(0, new AppConfig.Endpoint("localhost", 0));

        assertThat(Service.advertised(config, 43210)).isEqualTo(new AppConfig.Endpoint("localhost", 43210));
    }

    @Test
    void keepsAnAdvertisedPortThatWasGiven() {
        // Behind a port mapping the advertised port differs from the one bound: it stays as given.
        AppConfig config = config(0, new AppConfig.Endpoint("pod-0.tokenid", 9400));

        assertThat(Service.advertised(config, 43210)).isEqualTo(new AppConfig.Endpoint("pod-0.tokenid", 9400));
    }

    private static AppConfig config(int httpPort, AppConfig.Endpoint advertised) {
        return new AppConfig("kafka:9092", "api-calls", "api-calls.dlq", "api-tokens", Optional.empty(),
                "tokenid-metrics", Path.of("state"), httpPort, 0, advertised, 0, 1, Duration.ofHours(1),
                Duration.ofMinutes(1));
    }
}
