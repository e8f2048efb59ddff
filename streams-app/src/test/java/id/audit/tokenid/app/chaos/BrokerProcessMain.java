package id.audit.tokenid.app.chaos;

import id.audit.tokenid.app.demo.EmbeddedBroker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's real KRaft broker ({@link EmbeddedBroker}) as a process of its own, on a fixed
 * data directory and port, so a chaos run can SIGKILL it and start it again on the same data:
 * {@code BrokerProcessMain <data dir> <port>}. Prints {@code broker ready} once it answers.
 */
public final class BrokerProcessMain {

    private BrokerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        EmbeddedBroker broker = EmbeddedBroker.start(dataDir, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-stop"));
        System.out.println("broker ready on " + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
