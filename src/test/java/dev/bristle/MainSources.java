package dev.bristle;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePathScanner;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sources of {@code src/main/java} as javac's own parser reads them (no compiling, no guessing at braces): each
 * top-level class with the lines of its file, the lines of each of its methods (nested classes' included) and whether
 * its Javadoc has a first sentence. Parsed once, for the size and comment rules of {@link ArchitectureTest}.
 */
final class MainSources {

    static final Path ROOT = Path.of("src", "main", "java");

    /** A method or constructor: its name, the line it starts on (annotations included) and its lines to the brace. */
    record Method(String name, long line, long lines) {
    }

    /**
     * @param name       the class's binary name, as ArchUnit names it
     * @param file       its source file
     * @param fileLines  the lines of the whole file, package, imports and comments included
     * @param methods    every method and constructor with a body, nested and anonymous classes' included
     * @param documented its Javadoc has a first sentence
     */
    record TopLevel(String name, Path file, long fileLines, List<Method> methods, boolean documented) {
    }

    private static Map<String, TopLevel> classes;

    private MainSources() {
    }

    /** Every top-level class of src/main/java by its binary name. */
    static synchronized Map<String, TopLevel> classes() {
        if (classes == null) classes = parse();
        return classes;
    }

    private static Map<String, TopLevel> parse() {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("the size rules read the sources with javac: run on a JDK");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, null);
        JavacTask task = (JavacTask) javac.getTask(null, fileManager, null, List.of("-proc:none"), null,
                fileManager.getJavaFileObjectsFromPaths(files));
        DocTrees trees = DocTrees.instance(task);
        SourcePositions positions = trees.getSourcePositions();
        Map<String, TopLevel> found = new HashMap<>();
        try {
            for (CompilationUnitTree unit : task.parse()) {
                Path file = Path.of("").toAbsolutePath().relativize(Path.of(unit.getSourceFile().toUri()));
                long fileLines;
                try (Stream<String> lines = Files.lines(file)) {
                    fileLines = lines.count();
                }
                String packagePrefix = unit.getPackageName() == null ? "" : unit.getPackageName() + ".";
                for (var type : unit.getTypeDecls()) {
                    if (!(type instanceof ClassTree top)) continue;
                    List<Method> methods = new ArrayList<>();
                    LineMap lines = unit.getLineMap();
                    new TreePathScanner<Void, Void>() {
                        @Override
                        public Void visitMethod(MethodTree method, Void unused) {
                            if (method.getBody() != null) {
                                long first = lines.getLineNumber(positions.getStartPosition(unit, method));
                                long last = lines.getLineNumber(positions.getEndPosition(unit, method));
                                methods.add(new Method(method.getName().toString(), first, last - first + 1));
                            }
                            return super.visitMethod(method, unused);
                        }
                    }.scan(trees.getPath(unit, top), null);
                    DocCommentTree doc = trees.getDocCommentTree(trees.getPath(unit, top));
                    String name = packagePrefix + top.getSimpleName();
                    found.put(name, new TopLevel(name, file, fileLines, methods,
                            doc != null && !doc.getFirstSentence().isEmpty()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
