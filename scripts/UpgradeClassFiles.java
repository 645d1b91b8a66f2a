import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Copies a jar, rewriting class files older than Java 6 (version 50) under the given package prefixes as Java 8
 * class files with stack maps, then loads and links every rewritten class to prove the JVM accepts them. Used by the
 * launcher on JDK 25+: the JDK's start-up (AOT) cache refuses pre-Java 6 class files, and picocli ships Java 5 ones
 * (remkop/picocli#1623), so without this its ~200 classes are parsed and verified on every start. Needs the JDK's
 * class-file API (JDK 24+). Exit status 0 only when the new jar is complete and every rewritten class links.
 *
 * <p>Usage: java UpgradeClassFiles.java IN.jar OUT.jar PREFIX...
 */
public final class UpgradeClassFiles {
    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<String> prefixes = List.of(args).subList(2, args.length);
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "upgrade", ".jar");
        try {
            var rewritten = new ArrayList<String>();
            try (var loader = new URLClassLoader(new URL[] {in.toUri().toURL()}, null);
                 var jar = new JarFile(in.toFile());
                 OutputStream os = Files.newOutputStream(tmp);
                 var target = new JarOutputStream(os)) {
                var cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                        ClassHierarchyResolver.defaultResolver()
                                .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    byte[] bytes;
                    try (InputStream s = jar.getInputStream(e)) {
                        bytes = s.readAllBytes();
                    }
                    String name = e.getName();
                    if (name.endsWith(".class") && prefixes.stream().anyMatch(name::startsWith)) {
                        ClassModel model = cf.parse(bytes);
                        if (model.majorVersion() < ClassFile.JAVA_6_VERSION) {
                            bytes = upgrade(cf, model);
                            rewritten.add(name.substring(0, name.length() - 6).replace('/', '.'));
                        }
                    }
                    var copy = new JarEntry(name);
                    copy.setTime(e.getTime());
                    target.putNextEntry(copy);
                    target.write(bytes);
                    target.closeEntry();
                }
            }
            try (var check = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, null)) {
                for (String c : rewritten) {
                    Class.forName(c, true, check); // initialising links the class, so the JVM verifies it
                }
            }
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.err.println("upgraded " + rewritten.size() + " class files");
        } finally {
            Files.deleteIfExists(tmp); // gone after the move; left behind only by a failure
        }
    }

    private static byte[] upgrade(ClassFile cf, ClassModel model) {
        return cf.build(model.thisClass().asSymbol(), cb -> {
            cb.withVersion(ClassFile.JAVA_8_VERSION, 0);
            for (var element : model) {
                if (element instanceof ClassFileVersion) {
                    continue;
                }
                if (element instanceof MethodModel m) {
                    cb.transformMethod(m, MethodTransform.transformingCode(CodeTransform.ACCEPT_ALL));
                } else {
                    cb.with(element);
                }
            }
        });
    }
}
