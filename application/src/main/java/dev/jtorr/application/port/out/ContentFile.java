package dev.jtorr.application.port.out;

import java.util.List;

/**
 * A regular file found by {@link ContentReader#list}.
 *
 * @param relativePath components below the content root's parent: {@code [root name]} for a single file,
 *                     {@code [root name, ..., file name]} inside a folder
 * @param length       size in bytes when listed
 * @param executable   the owner may execute it (becomes BEP 47 attribute {@code x})
 */
public record ContentFile(List<String> relativePath, long length, boolean executable) {
    public ContentFile {
        relativePath = List.copyOf(relativePath);
    }
}
