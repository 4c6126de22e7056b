package io.l2lb.testkit;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which classes a compiled class refers to, read from its class file: every class entry of the
 * constant pool (calls, field accesses, {@code new}, casts, {@code instanceof}, {@code catch}) and
 * every type named in a descriptor or generic signature (field, parameter and return types,
 * annotations), but not the text of string literals. That is what the compiler resolved, so a fully
 * qualified name in the code counts as much as an import, and an unused import does not.
 *
 * <p>For architecture tests ("package X must not use library Y"):
 *
 * <pre>{@code
 * Map<String, Set<String>> refs = ClassReferences.scan(ClassReferences.locationOf(Reconciler.class));
 * }</pre>
 */
public final class ClassReferences {

  /** {@code Lsome/Type;} inside a descriptor or signature ({@code <} starts type arguments). */
  private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([A-Za-z_$0-9/]+)[;<]");

  private ClassReferences() {}

  /** The directory or jar a class was loaded from. */
  public static Path locationOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("cannot tell where " + c.getName() + " was loaded from", e);
    }
  }

  /**
   * Every class in a classes directory or jar (binary names, e.g. {@code a.b.C$1}) with the classes
   * it refers to (itself excluded), sorted.
   */
  public static Map<String, Set<String>> scan(Path classesDirOrJar) {
    Map<String, Set<String>> out = new TreeMap<>();
    try {
      if (Files.isDirectory(classesDirOrJar)) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(classesDirOrJar)) {
          files = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path f : files) {
          add(out, Files.readAllBytes(f));
        }
      } else {
        try (ZipFile jar = new ZipFile(classesDirOrJar.toFile())) {
          Enumeration<? extends ZipEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
              try (InputStream in = jar.getInputStream(e)) {
                add(out, in.readAllBytes());
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classes from " + classesDirOrJar, e);
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no class files in " + classesDirOrJar);
    }
    return out;
  }

  private static void add(Map<String, Set<String>> out, byte[] classFile) throws IOException {
    ClassFile c = read(classFile);
    if (!c.name.equals("module-info")) {
      out.put(c.name, c.references);
    }
  }

  /** The classes one class file refers to (binary names, itself excluded). */
  public static Set<String> referencesOf(byte[] classFile) {
    try {
      return read(classFile).references;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record ClassFile(String name, Set<String> references) {}

  private static ClassFile read(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNameIndex = new int[count]; // 0: not a Class entry
    Set<Integer> literals = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNameIndex[i] = in.readUnsignedShort();
        case 8 -> literals.add(in.readUnsignedShort());
        case 16, 19, 20 -> in.readUnsignedShort(); // MethodType, Module, Package
        case 15 -> in.skipBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // longs and doubles take two slots
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
      }
    }
    in.readUnsignedShort(); // access flags
    String self = utf8[classNameIndex[in.readUnsignedShort()]];
    Set<String> refs = new TreeSet<>();
    for (int nameIndex : classNameIndex) {
      if (nameIndex == 0) {
        continue;
      }
      String name = utf8[nameIndex];
      if (name.startsWith("[")) {
        collectDescriptorTypes(name, refs); // an array class: "[Lsome/Type;"
      } else {
        refs.add(name);
      }
    }
    // descriptors and signatures are Utf8 entries too; string literals are not types
    for (int i = 1; i < count; i++) {
      if (utf8[i] != null && !literals.contains(i)) {
        collectDescriptorTypes(utf8[i], refs);
      }
    }
    String selfName = self.replace('/', '.');
    Set<String> binary = new TreeSet<>();
    for (String r : refs) {
      binary.add(r.replace('/', '.'));
    }
    binary.remove(selfName);
    return new ClassFile(selfName, binary);
  }

  private static void collectDescriptorTypes(String text, Set<String> into) {
    Matcher m = TYPE_IN_DESCRIPTOR.matcher(text);
    while (m.find()) {
      into.add(m.group(1));
    }
  }
}
