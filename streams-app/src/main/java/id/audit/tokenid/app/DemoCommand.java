package id.audit.tokenid.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the demo lands: says so plainly instead of pretending. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the service on an embedded Kafka broker with sample traffic (not built yet).")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("tokenid-metrics: demo is not available in this build yet");
        return 1;
    }
}
