package dev.midge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The house size rules, checked without a Quarkus boot: no source file under {@code src/main/java} over
 * {@value #MAX_FILE_LINES} lines, and no method over {@value #MAX_METHOD_LINES} lines.
 *
 * <p>A method's length is read from the compiled classes' LineNumberTable: the span from the first to the last
 * source line that holds its code (the signature line and the closing brace are not counted). A lambda, an
 * anonymous class or a local class inside a method lies within that span, so it counts within its enclosing
 * method; the compiler also makes it a method of its own, which is checked as well. A constructor's code also
 * holds the field initializers, wherever they stand in the class, so for constructors and static initializers
 * the count is of the distinct lines that hold code instead of the span.
 *
 * <p>The exceptions are classes over a limit today. Each exception must still be over a limit, so the list only
 * shrinks.
 */
class CodeSizeTest {

    private static final int MAX_FILE_LINES = 400;
    private static final int MAX_METHOD_LINES = 60;
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path CLASSES = Path.of("target/classes");

    /** Classes allowed over the limits while they are split into classes of one job each; none now. */
    private static final Set<String> BEING_SPLIT = Set.of();

    @Test
    void noSourceFileIsOverTheLimit() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                long lines;
                try (Stream<String> content = Files.lines(file)) {
                    lines = content.count();
                }
                if (lines > MAX_FILE_LINES && !BEING_SPLIT.contains(className(SOURCES, file, ".java"))) {
                    tooLong.add(file + ": " + lines + " lines");
                }
            }
        }
        assertEquals(List.of(), tooLong, "source files over " + MAX_FILE_LINES + " lines");
    }

    @Test
    void noMethodIsOverTheLimit() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (MethodSpan method : methods()) {
            if (method.lines() > MAX_METHOD_LINES && !BEING_SPLIT.contains(method.outerClass())) {
                tooLong.add(method + ": " + method.lines() + " lines");
            }
        }
        assertEquals(List.of(), tooLong, "methods over " + MAX_METHOD_LINES + " lines");
    }

    @Test
    void everyExceptionIsStillNeeded() throws IOException {
        Set<String> over = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                try (Stream<String> content = Files.lines(file)) {
                    if (content.count() > MAX_FILE_LINES) {
                        over.add(className(SOURCES, file, ".java"));
                    }
                }
            }
        }
        for (MethodSpan method : methods()) {
            if (method.lines() > MAX_METHOD_LINES) {
                over.add(method.outerClass());
            }
        }
        for (String exception : BEING_SPLIT) {
            assertTrue(over.contains(exception), exception + " is within the limits now: take it off the list");
        }
    }

    private record MethodSpan(String className, String name, int first, int last, int distinctLines) {
        int lines() {
            return name.equals("<init>") || name.equals("<clinit>") ? distinctLines : last - first + 1;
        }

        String outerClass() {
            int dollar = className.indexOf('$');
            return dollar < 0 ? className : className.substring(0, dollar);
        }

        @Override
        public String toString() {
            return className + "#" + name + " (lines " + first + "-" + last + ")";
        }
    }

    private static List<MethodSpan> methods() throws IOException {
        assertTrue(Files.isDirectory(CLASSES), CLASSES + " missing: compile first");
        List<MethodSpan> methods = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    readMethods(new ClassReader(in), className(CLASSES, file, ".class"), methods);
                }
            }
        }
        assertTrue(methods.size() > 100, "only " + methods.size() + " methods found under " + CLASSES);
        return methods;
    }

    private static void readMethods(ClassReader reader, String className, List<MethodSpan> into) {
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    private int first = Integer.MAX_VALUE;
                    private int last = Integer.MIN_VALUE;
                    private final Set<Integer> lines = new TreeSet<>();

                    @Override
                    public void visitLineNumber(int line, Label start) {
                        first = Math.min(first, line);
                        last = Math.max(last, line);
                        lines.add(line);
                    }

                    @Override
                    public void visitEnd() {
                        if (first <= last) {
                            into.add(new MethodSpan(className, name, first, last, lines.size()));
                        }
                    }
                };
            }
        }, ClassReader.SKIP_FRAMES);
    }

    private static String className(Path root, Path file, String suffix) {
        String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
        return relative.substring(0, relative.length() - suffix.length());
    }
}
