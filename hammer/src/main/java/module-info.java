/** The collision hammer: proof under concurrency and kill -9 that no store hands out an address twice. */
module dev.whereabouts.hammer {
    requires dev.whereabouts.ipam.api;
    requires dev.whereabouts.ipam.engine;
    requires dev.whereabouts.ops;
    requires tools.jackson.databind;
    requires kubernetes.client.api;
    requires kubernetes.server.mock;
    requires mockwebserver;
    requires java.logging;
}
