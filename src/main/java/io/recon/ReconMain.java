package io.recon;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.recon.cli.Commands;

/**
 * One jar, two modes. With a command ({@code train}, {@code evaluate}, {@code help}) it runs
 * that command and exits, without starting the service; otherwise it starts the service with
 * the roles in {@code recon.roles}.
 */
@QuarkusMain
public class ReconMain {

    /** Entry point. */
    public static void main(String... args) {
        if (args.length > 0 && Commands.isCommand(args[0])) {
            System.exit(Commands.run(args));
        }
        Quarkus.run(args);
    }
}
