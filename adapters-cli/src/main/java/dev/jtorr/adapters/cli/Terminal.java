package dev.jtorr.adapters.cli;

import java.io.PrintWriter;

/**
 * Where the CLI writes: results on {@code out}, progress and errors on {@code err}. {@code interactive} says
 * whether {@code err} is a terminal, which decides between a live progress line and plain periodic lines.
 */
public record Terminal(PrintWriter out, PrintWriter err, boolean interactive) {
}
