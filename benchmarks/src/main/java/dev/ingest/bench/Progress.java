package dev.ingest.bench;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * What a benchmark run is doing, printed to the console as it happens (which benchmark, which phase, the figure of
 * each repetition as it finishes). Libraries' and Spring's log output goes to a file instead (logback.xml of this
 * module), so these lines and the final report are all the console shows.
 */
final class Progress {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Progress() {}

    static void say(String benchmark, String message) {
        System.out.println("[" + TIME.format(LocalTime.now()) + "] " + benchmark + ": " + message);
        System.out.flush();
    }
}
