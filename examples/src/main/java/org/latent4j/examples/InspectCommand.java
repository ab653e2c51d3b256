package org.latent4j.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latent4j.core.io.SafeTensors;
import org.latent4j.core.io.SafeTensorsReader;
import org.latent4j.core.tensor.Shape;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code latent4j inspect FILE.safetensors}: lists the tensors of a safetensors file (name, dtype, shape),
 * its metadata and the total parameter count, reading only the header. A missing or malformed file is
 * reported in one line with exit code 2.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List the tensors (name, dtype, shape) of a .safetensors file.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "a .safetensors file (PyTorch / Hugging Face format)")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.exists(file)) {
            throw new Cli.BadInputException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new Cli.BadInputException(file + ": is a directory, not a .safetensors file");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SafeTensorsReader reader = SafeTensors.open(file)) {
            int nameWidth = 4;
            for (SafeTensorsReader.Entry e : reader.entries()) {
                nameWidth = Math.max(nameWidth, e.name().length());
            }
            long params = 0;
            long bytes = 0;
            out.printf(Locale.ROOT, "%-" + nameWidth + "s  %-5s  %s%n", "name", "dtype", "shape");
            for (SafeTensorsReader.Entry e : reader.entries()) {
                out.printf(Locale.ROOT, "%-" + nameWidth + "s  %-5s  %s%n", e.name(), SafeTensors.code(e.dtype()),
                        Shape.format(e.shape()));
                params += e.numel();
                bytes += e.byteSize();
            }
            for (Map.Entry<String, String> m : reader.metadata().entrySet()) {
                out.printf(Locale.ROOT, "metadata %s = %s%n", m.getKey(), m.getValue());
            }
            out.printf(Locale.ROOT, "%d tensors, %,d parameters, %s%n", reader.entries().size(), params,
                    humanBytes(bytes));
            out.flush();
            return 0;
        } catch (NoSuchFileException e) {
            throw new Cli.BadInputException(file + ": no such file");
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new Cli.BadInputException(msg.startsWith(file.toString()) ? firstLine(msg) : file + ": " + firstLine(msg));
        }
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
