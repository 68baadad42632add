/**
 * JMH benchmarks of the engine's allocator.
 *
 * <p>Build and run (from the repository root, after {@code ipam-engine} is installed):
 * <pre>
 * ./mvnw -B -o -pl bench package -DskipTests
 * java -cp 'bench/target/classes:bench/target/lib/*' org.openjdk.jmh.Main 'dev.whereabouts.bench.engine.*' -wi 2 -i 3 -f 1
 * </pre>
 * The package phase copies the run-time class path into {@code bench/target/lib}; JMH's annotation
 * processor writes {@code META-INF/BenchmarkList} into {@code bench/target/classes}.
 */
package dev.whereabouts.bench.engine;
