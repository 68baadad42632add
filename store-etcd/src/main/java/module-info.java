/**
 * etcd v3 store with transactions, TLS and auth. Provides the {@code etcd} datastore; exports
 * nothing, it is found through {@link java.util.ServiceLoader}.
 */
module dev.whereabouts.store.etcd {
    requires dev.whereabouts.ipam.api;
    requires jetcd.core;
    requires jetcd.common;
    requires io.grpc;
    requires io.grpc.netty;
    requires io.netty.handler;
    // the stand-in etcd of the start-up warm-up (LoopbackEtcd): the generated services and gRPC's server side
    requires jetcd.grpc;
    requires io.grpc.stub;
    requires com.google.protobuf;

    // jetcd and gRPC are automatic modules: they read everything but pull nothing into the module
    // graph. These named modules are what they load at run time, so requiring them here makes the
    // plugin boot on a plain module path without --add-modules ALL-MODULE-PATH.
    requires com.google.common;
    requires dev.failsafe.core;
    requires io.vertx.core;
    requires org.slf4j;
    requires io.netty.codec.http2;
    requires io.netty.handler.proxy;
    requires io.netty.transport.unix.common;

    provides dev.whereabouts.ipam.spi.StoreProvider with dev.whereabouts.store.etcd.EtcdStoreProvider;
}
