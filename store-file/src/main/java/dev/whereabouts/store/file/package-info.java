/**
 * The {@code file} store: whereabouts state in a directory on the node, the successor of host-local's
 * disk backend.
 *
 * <h2>Layout</h2>
 * <pre>
 * &lt;data_dir&gt;/lock                                  empty; the POSIX lock every writer takes
 * &lt;data_dir&gt;/journal                               the last multi-file commit; its closing line reads fin once done
 * &lt;data_dir&gt;/pools/&lt;network&gt;/&lt;range&gt;                one file per pool, e.g. pools/_default/10.0.0.0-24
 * &lt;data_dir&gt;/pools/&lt;network&gt;/&lt;node&gt;_&lt;range&gt;         a node-slice pool
 * &lt;data_dir&gt;/reservations/&lt;network&gt;/&lt;address&gt;     one file per reserved address, e.g. .../2001-db8--5
 * </pre>
 * {@code <network>} is the {@code network_name}, or {@code _default} for none (no valid name starts
 * with {@code _}). Names follow upstream's normalization ({@code :} and {@code /} become {@code -}),
 * so an operator finds the same names as in a Kubernetes-backed cluster.
 *
 * <ul>
 *   <li><b>Why not {@code pools/<objectName>}:</b> upstream's object name is not one-to-one
 *       (network {@code a} on node {@code b} and network {@code a-b} give the same name). Splitting by
 *       network directory and joining the node with {@code _}, which never occurs in a normalized
 *       range, keeps distinct pools in distinct files. Each file also carries its full key, which
 *       {@link dev.whereabouts.ipam.spi.IpamStore#pools()} reads back and every read verifies.</li>
 *   <li><b>Why one file per reservation:</b> reserving is create-if-absent per address, like
 *       host-local's one file per IP. A commit rewrites only the addresses it touches, instead of a
 *       whole network's list that grows with every pod of every overlapping range.</li>
 *   <li><b>Path safety:</b> network and node names must match the CNI identifier alphabet
 *       {@code ^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$} (else CNI code 7), which rules out {@code /}, NUL,
 *       {@code .} and {@code ..}. Container ids and interface names are checked against the CNI rules
 *       (code 4) but never become paths.</li>
 * </ul>
 *
 * <h2>Taking over from host-local</h2>
 * A data directory that host-local used for one network (kube-node and node-annotation left theirs
 * in {@code <dataDir>/<network>}) still holds its files: one per address, named by the address,
 * holding {@code containerId\r\nifName}. They sit beside ours ({@code lock} is shared by name; the
 * rest never collide with an address) and are read as allocations of every pool whose range holds
 * them, so a node that switches binaries under running pods hands out no address twice; releasing
 * one deletes its file. See {@code HostLocalFiles}.
 *
 * <h2>File format</h2>
 * Plain ASCII lines, no JSON and no dependency: a JVM that starts per CNI call should not load a JSON
 * library to read a handful of lines, and line records are easy to inspect with {@code cat}. A file
 * starts with {@code whereabouts-file-store <kind> 1} and ends with {@code end <records>}, so a
 * truncated file is recognised. A pool file holds {@code range}, {@code network}, {@code node},
 * {@code generation}, {@code incarnation} and one {@code alloc <ip> <containerId> <ifName> <podRef>}
 * per address; a reservation file holds {@code network}, {@code ip} and
 * {@code owner <containerId> <ifName> <podRef>}. Fields are escaped (space, {@code %}, control and
 * non-ASCII characters become {@code %XX}/{@code %uXXXX}; the empty string is {@code -}), so no value
 * can forge a separator or a record. Addresses are stored as canonical text, full 128-bit for IPv6.
 *
 * <h2>Versions</h2>
 * The version of a pool is {@code <generation>.<incarnation>}: the generation counts writes of that
 * pool, the incarnation is random per pool file creation (so a deleted and re-created pool never
 * accepts an old version). A pool that has no file reads as {@code ABSENT}; a commit with
 * {@code ABSENT} creates it and conflicts if the file exists.
 *
 * <h2>Locking</h2>
 * Every read-modify-write ({@code commit}, {@code removeReservation}), every listing and
 * {@code checkAvailable} runs under an exclusive POSIX lock on {@code <data_dir>/lock}
 * ({@code FileChannel.tryLock}, which on Linux is {@code fcntl}; it keeps out other plugin processes
 * and the daemon) and under a JVM-wide lock for the same directory, because the POSIX lock belongs
 * to the whole process (see {@code DirLock}). The lock is polled up to {@code lock_timeout_ms}, so a
 * stuck holder makes calls fail with CNI code 11 rather than hang; a holder that dies, even by
 * {@code kill -9}, loses the lock with its process. {@code read} takes the lock too: a journalled
 * commit writes the pool file in place (below), and the lock's next holder finishes any commit a
 * dead process left before it reads. In the daemon reads are rare, since the engine keeps its pools
 * warm and every commit checks the version it started from.
 *
 * <h2>Crash safety</h2>
 * A change that touches only the pool writes a sibling {@code .tmp-*} file and renames it over the
 * pool file. A change that also reserves or unreserves addresses (every ADD and DEL) is first
 * written, with every file's complete new content, to the journal; the steps are then performed in
 * the order reservations, pool, unreservations, each file written over in place, and the journal's
 * closing {@code end} is overwritten with {@code fin}. The journal is one file, written over the last
 * commit's from its start and then cut to its new length (never to zero). The commit happens when
 * the journal is whole on disk and cut: a process killed at any point leaves a journal cut short or
 * one that still closes with the last commit's {@code fin} (old state: the steps had not started;
 * the first is dropped, the second is done with), or a complete journal closing with {@code end}
 * that the next lock holder replays (new state). Replay is idempotent because every step is a
 * whole-file write or a delete, so the files the journal covers are written in place too: a pool or
 * reservation cut short is written again by the replay before anyone reads it, since every read
 * takes the lock. Why one journal file kept for good: on ext4 without its own journal every new
 * file makes the kernel skip each inode deleted in the last minutes, and a journal created and
 * deleted by every commit was half the files a CNI call created. An older binary, which created and
 * deleted the journal, reads a finished one as cut short, logs that it drops it and deletes it; its
 * own journals are the same text, which this one replays. On ext4 a rename
 * over a file forces its data out at once (so does a truncation to zero, which is why a file that
 * shrinks is cut after its new text is written, never before); these were the three renames of a
 * commit. A binary from before 2026-12-02 reads pools without the lock, so during a rolling change
 * of binaries on a node it can meet a pool file mid-write. It then reports the file as damaged
 * (CNI code 5) and the runtime retries; its commits, which re-read the pool under the lock and
 * check its version and the address's reservation, are as safe as before. Even without the journal the step order could at worst leave a reservation that no pool
 * entry backs, never two owners.
 *
 * <p>Nothing is fsynced, as in host-local: a killed process loses nothing the kernel holds, and the
 * holders of whatever a power loss undoes died with the node (a lost delete leaves an address that
 * CNI GC or the reconciler reclaims). A journal that a power loss left empty or cut short is
 * therefore read as no journal too. Temp files are removed under the lock when a store starts.
 */
package dev.whereabouts.store.file;
