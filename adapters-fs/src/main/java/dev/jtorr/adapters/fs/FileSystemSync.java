package dev.jtorr.adapters.fs;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * {@code syncfs(2)}: makes everything written to one file system durable in one call. Syncing 5,000 freshly written
 * files took 0.18 s this way against 0.82 s with one {@code fdatasync} each (0.48 s on 32 threads).
 *
 * <p>Called through the JDK's foreign function API (final in JDK 22), looked up reflectively because jtorr also runs
 * on JDK 21, and used only where native access is enabled ({@code --enable-native-access}, which the launcher and
 * jtorr's jar manifest give): elsewhere it would print a warning, and {@link #available()} is false so that callers
 * sync file by file instead.
 */
final class FileSystemSync {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final Native NATIVE = load();

    private record Native(MethodHandle open, MethodHandle syncfs, MethodHandle close, Method ofConfined,
                          Method allocateFrom) {
    }

    private FileSystemSync() {
    }

    static boolean available() {
        return NATIVE != null;
    }

    /**
     * Syncs the file system that holds {@code path} (an existing file or folder).
     *
     * @return false when it could not: no native access, the path cannot be opened, or the sync itself failed (the
     *     caller then syncs file by file, which reports the error with its reason)
     */
    static boolean sync(Path path) {
        Native n = NATIVE;
        if (n == null) {
            return false;
        }
        try (AutoCloseable arena = (AutoCloseable) n.ofConfined().invoke(null)) {
            Object cPath = n.allocateFrom().invoke(arena, path.toString());
            int fd = (int) n.open().invokeWithArguments(cPath, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                return false;
            }
            try {
                return (int) n.syncfs().invokeWithArguments(fd) == 0;
            } finally {
                n.close().invokeWithArguments(fd);
            }
        } catch (Throwable e) {
            return false;
        }
    }

    private static Native load() {
        if (Runtime.version().feature() < 22 || !System.getProperty("os.name", "").startsWith("Linux")) {
            return null;
        }
        try {
            if (!(boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(FileSystemSync.class.getModule())) {
                return null;
            }
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
            Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
            Object javaInt = valueLayout.getField("JAVA_INT").get(null);
            Object address = valueLayout.getField("ADDRESS").get(null);
            Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
            Method find = Class.forName("java.lang.foreign.SymbolLookup").getMethod("find", String.class);
            Method of = descriptorClass.getMethod("of", layoutClass, layoutClass.arrayType());
            Method downcall = linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass,
                    optionClass.arrayType());
            Object noOptions = Array.newInstance(optionClass, 0);
            MethodHandle[] handles = new MethodHandle[3];
            String[] names = {"open", "syncfs", "close"};
            Object[][] arguments = {{address, javaInt}, {javaInt}, {javaInt}};
            for (int i = 0; i < names.length; i++) {
                Object symbol = ((java.util.Optional<?>) find.invoke(lookup, names[i])).orElseThrow();
                Object[] layouts = (Object[]) Array.newInstance(layoutClass, arguments[i].length);
                System.arraycopy(arguments[i], 0, layouts, 0, layouts.length);
                Object descriptor = of.invoke(null, javaInt, layouts);
                handles[i] = (MethodHandle) downcall.invoke(linker, symbol, descriptor, noOptions);
            }
            return new Native(handles[0], handles[1], handles[2], arenaClass.getMethod("ofConfined"),
                    Class.forName("java.lang.foreign.SegmentAllocator").getMethod("allocateFrom", String.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
