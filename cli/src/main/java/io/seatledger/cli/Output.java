package io.seatledger.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code --out FILE} or standard output. A file is written beside itself and moved into place once complete, so a
 * failed fetch never leaves a partial export that looks whole.
 */
final class Output {

    @Option(names = "--out", paramLabel = "FILE", description = "Write here (default: standard output).")
    Path file;

    interface Body {
        void write(Writer out) throws IOException, InterruptedException;
    }

    void write(PrintWriter standardOut, Body body) throws IOException, InterruptedException {
        if (file == null) {
            body.write(standardOut);
            standardOut.flush();
            return;
        }
        Path absolute = file.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try (Writer out = new OutputStreamWriter(Files.newOutputStream(partial), StandardCharsets.UTF_8)) {
            body.write(out);
        } catch (IOException | InterruptedException | RuntimeException failed) {
            Files.deleteIfExists(partial);
            throw failed;
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
