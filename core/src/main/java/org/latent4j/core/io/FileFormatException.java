package org.latent4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not what its format says it is: truncated, corrupt, or hostile. The message starts with
 * the file and names the entry and the field at fault, e.g.
 * {@code model.safetensors: tensor 'fc.weight': data_offsets [0, 40] hold 40 bytes but F32 (3,4) needs 48}.
 */
public class FileFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public FileFormatException(Path file, String message) {
        super(file + ": " + message);
    }

    public FileFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
