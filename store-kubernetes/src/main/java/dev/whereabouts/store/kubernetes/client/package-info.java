/**
 * The one factory of Kubernetes clients: {@link dev.whereabouts.store.kubernetes.client.KubernetesClients}
 * builds the fabric8 client for the {@code kubernetes} store, and for the reconciler, the operator
 * CLI and the controllers, from the same {@code kubernetes} section with the same timeouts.
 */
package dev.whereabouts.store.kubernetes.client;
