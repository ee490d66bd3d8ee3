package io.turnpike.tower;

import io.turnpike.core.TurnpikeException;
import io.turnpike.core.ErrorCode;
import io.turnpike.chain.ChainRpcException;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.core.channel.MonitorReceipt;
import io.turnpike.core.channel.Signed;
import io.turnpike.http.HttpCall;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpRefusal;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.tower.TowerMessages.Info;
import io.turnpike.node.tower.TowerMessages.Receipt;
import io.turnpike.node.tower.TowerMessages.Restore;
import io.turnpike.node.tower.TowerMessages.Restored;
import io.turnpike.node.tower.TowerMessages.Upload;
import io.turnpike.store.TowerEntry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tower's HTTP API (docs/tower.md): {@code GET /v1/info}, {@code POST /v1/proofs}, {@code POST /v1/restore}, in
 * the {@link io.turnpike.node.tower.TowerMessages} the node's client reads and writes too, on a
 * {@link JsonHttpServer} within its {@link HttpLimits}. There is no login: an upload is authorised by its signatures,
 * a restore by the node's signature over a fresh timestamp. Every answer is JSON; a refusal is
 * {@code {"code", "message"}} with the status that fits it.
 */
final class TowerApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TowerApi.class);

    private record Route(String method, Function<byte[], ObjectNode> handler) {
    }

    private final Map<String, Route> routes;
    private final JsonHttpServer server;

    private TowerApi(ProofIntake intake, Info info, InetSocketAddress address, JsonHttpServer.Surface surface)
            throws IOException {
        this.routes = Map.of(
                "/v1/info", new Route("GET", body -> info.toJson()),
                "/v1/proofs", new Route("POST", body -> {
                    Upload upload = read(body, Upload::read);
                    Signed<MonitorReceipt> receipt =
                            intake.accept(upload.proof(), upload.reward(), upload.requestSignature());
                    return new Receipt(receipt.message().channelId(), receipt.message().nonce(), receipt.signature())
                            .toJson();
                }),
                "/v1/restore", new Route("POST",
                        body -> restored(intake.restore(read(body, Restore::read).request()))));
        // Last, once everything a request reads is set.
        this.server = JsonHttpServer.start(address, surface, this::answer);
    }

    /**
     * Listens on {@code bind}:{@code port} within {@code limits}.
     *
     * @param onFatalError called once when the transport meets an error the JVM may not survive
     * @throws TurnpikeException {@link ErrorCode#PORT_IN_USE} when the port is taken, {@link ErrorCode#CANNOT_LISTEN} when the address is not this machine's
     */
    static TowerApi start(String bind, int port, HttpLimits limits, Consumer<Throwable> onFatalError,
                          ProofIntake intake, Info info) {
        try {
            return new TowerApi(intake, info, new InetSocketAddress(InetAddress.getByName(bind), port),
                    new JsonHttpServer.Surface("watchtower API", limits, onFatalError));
        } catch (UnknownHostException e) {
            throw new TurnpikeException(ErrorCode.CANNOT_LISTEN, bind + " is not an address of this machine; pass --bind "
                    + "with one of its addresses (127.0.0.1 to serve only this machine)", e);
        } catch (BindException e) {
            throw new TurnpikeException(ErrorCode.PORT_IN_USE, "cannot listen on " + bind + ":" + port + " ("
                    + e.getMessage() + "); is another tower running? Stop it or pass another --port", e);
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.CANNOT_LISTEN, "cannot listen on " + bind + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
    }

    private HttpReply answer(HttpCall call) throws HttpRefusal {
        try {
            return respond(call);
        } catch (RpcException | ChainRpcException unreachable) {
            return HttpReply.error(ErrorCode.CHAIN_UNAVAILABLE, "the tower cannot read the chain to check the "
                    + "channel right now; nothing was stored, try again in a minute");
        } catch (RuntimeException e) {
            return HttpReply.failure(e, call, LOG, "the tower failed to handle the request; its log says why. Nothing "
                    + "is known to be stored: upload again later");
        }
    }

    private HttpReply respond(HttpCall call) throws HttpRefusal {
        String path = call.path();
        Route route = routes.get(path);
        if (route == null) {
            throw new TurnpikeException(ErrorCode.NOT_FOUND, "there is no " + path + "; the API is GET /v1/info, "
                    + "POST /v1/proofs and POST /v1/restore");
        }
        if (!route.method().equals(call.method())) {
            return HttpReply.error(ErrorCode.METHOD_NOT_ALLOWED, path + " takes " + route.method() + " only")
                    .withHeader("Allow", route.method());
        }
        return HttpReply.json(200, route.handler().apply(call.body()));
    }

    private static <T> T read(byte[] body, Function<JsonObjectReader, T> message) {
        return JsonObjectReader.readRequest(body, message, "docs/tower.md");
    }

    private static ObjectNode restored(List<TowerEntry> entries) {
        return new Restored(entries.stream().map(TowerEntry::upload)
                .map(upload -> new Upload(upload.proof(), upload.reward(), upload.requestSignature()))
                .toList()).toJson();
    }
}
