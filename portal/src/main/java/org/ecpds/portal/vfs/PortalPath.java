package org.ecpds.portal.vfs;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.file.util.BasePath;

/**
 * A path in a session's virtual tree. Parsing, resolution and comparison come from MINA's
 * {@link BasePath}; normalisation is ours so that ".." at the root stays at the root: no string a
 * client sends can name anything outside the virtual tree.
 */
public final class PortalPath extends BasePath<PortalPath, PortalFileSystem> {

  PortalPath(PortalFileSystem fileSystem, String root, List<String> names) {
    super(fileSystem, root, names);
  }

  @Override
  public PortalPath normalize() {
    if (!isAbsolute()) return super.normalize();
    List<String> out = new ArrayList<>(names.size());
    for (String name : names) {
      if (name.isEmpty() || name.equals(".")) continue;
      if (name.equals("..")) {
        if (!out.isEmpty()) out.remove(out.size() - 1);
        continue;
      }
      out.add(name);
    }
    return out.equals(names) ? this : create(root, out);
  }

  /** The segments below the virtual root after resolving "." and "..". */
  List<String> canonicalNames() {
    return toAbsolutePath().normalize().names;
  }

  @Override
  public PortalPath toRealPath(LinkOption... options) throws IOException {
    PortalPath real = toAbsolutePath().normalize();
    getFileSystem().stat(real); // there are no links: the real path is the normal one, if it exists
    return real;
  }
}
