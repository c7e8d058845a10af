package dev.xsched.ipc.server;

import dev.xsched.core.coordination.ServerSocketPath;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** The socket's folder and file: created with tight modes, checked when they exist already. */
final class SocketFiles {
    static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-rw----");
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_FOLDER_MODE = PosixFilePermissions.fromString("rwxrwx---");

    /** The file-type bits of a Unix mode, and the type of a socket (stat(2)). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFiles() {
    }

    /**
     * Makes sure the socket's folder exists, owned by the server's user, with mode 0700 (created
     * so) or 0770, and that no other server listens at {@code socket}; removes a stale socket file
     * left by a dead server.
     *
     * @throws IOException when the folder belongs to another user or is open to others, another
     *                     server is running, or the path is taken by something that is not a
     *                     socket (a file, a link)
     */
    static void prepare(Path socket) throws IOException {
        Path folder = socket.toAbsolutePath().getParent();
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder.getParent());
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
            Files.setPosixFilePermissions(folder, FOLDER_MODE); // the umask may have narrowed it further; be exact
        }
        // Owned by the server's user: another user may have made the folder first (in /tmp anyone
        // can), and would then own whatever is bound in it, or could put an impostor's socket there.
        int owner = (Integer) Files.getAttribute(folder, "unix:uid");
        int own = ServerSocketPath.currentUid();
        if (owner != own) {
            throw new IOException("the socket folder " + folder + " is owned by " + Files.getOwner(folder).getName()
                    + " (uid " + owner + "), not by the server's user (uid " + own + "); another user may have made it:"
                    + " remove it, or choose a socket in a folder of the server's user");
        }
        Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(folder));
        if (!mode.equals(FOLDER_MODE) && !mode.equals(GROUP_FOLDER_MODE)) {
            throw new IOException("the socket folder " + folder + " has mode " + PosixFilePermissions.toString(mode)
                    + "; it must be rwx------ (0700) or rwxrwx--- (0770) so that no other user can reach or replace the socket");
        }
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocket(socket)) {
                throw new IOException(socket + " exists and is not a socket; refusing to replace it (remove it or choose another path)");
            }
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(socket));
                throw new IOException("a server is already listening at " + socket);
            } catch (IOException refused) {
                if (refused.getMessage() != null && refused.getMessage().startsWith("a server is already")) {
                    throw refused;
                }
                Files.delete(socket); // stale: its server is gone
            }
        }
    }

    /** Whether {@code path} itself (not a link's target) is a socket: only a dead server's socket may be deleted. */
    private static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFSOCK;
    }
}
