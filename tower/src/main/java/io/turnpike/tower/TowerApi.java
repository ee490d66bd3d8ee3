package io.turnpike.tower;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.turnpike.chain.ChainRpcException;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.core.channel.MonitorReceipt;
import io.turnpike.core.channel.Signed;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tower's HTTP API (docs/tower.md): {@code GET /v1/info}, {@code POST /v1/proofs}, {@code POST /v1/restore}.
 * There is no login: an upload is authorised by its signatures, a restore by the node's signature over a fresh
 * timestamp. Every answer is JSON; a refusal is {@code {"code", "message"}} with the status that fits it.
 */
final class TowerApi implements AutoCloseable {

    /** An upload is two signatures and four numbers; anything much longer is a mistake or an attack. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(TowerApi.class);

    private record Route(String method, Function<byte[], ObjectNode> handler) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Route> routes;

    private TowerApi(HttpServer server, ProofIntake intake, ObjectNode info) {
        this.server = server;
        this.routes = Map.of(
                "/v1/info", new Route("GET", body -> info),
                "/v1/proofs", new Route("POST", body -> {
                    TowerJson.Upload upload = TowerJson.readUpload(body);
                    Signed<MonitorReceipt> receipt =
                            intake.accept(upload.proof(), upload.reward(), upload.requestSignature());
                    return TowerJson.accepted(receipt, upload.proof().message());
                }),
                "/v1/restore", new Route("POST", body -> TowerJson.restored(
                        intake.restore(TowerJson.readRestore(body)))));
    }

    /**
     * Listens on {@code bind}:{@code port}.
     *
     * @throws TowerException {@code tower.bind_failed} when the address is not this machine's or the port is taken
     */
    static TowerApi start(String bind, int port, ProofIntake intake, ObjectNode info) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), port), 0);
        } catch (UnknownHostException e) {
            throw new TowerException("tower.bind_failed", bind + " is not an address of this machine; pass --bind "
                    + "with one of its addresses (127.0.0.1 to serve only this machine)", e);
        } catch (BindException e) {
            throw new TowerException("tower.bind_failed", "cannot listen on " + bind + ":" + port + " ("
                    + e.getMessage() + "); is another tower running? Stop it or pass another --port", e);
        } catch (IOException e) {
            throw new TowerException("tower.bind_failed", "cannot listen on " + bind + ":" + port + ": "
                    + e.getMessage(), e);
        }
        TowerApi api = new TowerApi(server, intake, info);
        server.createContext("/", api::handle);
        server.setExecutor(api.executor);
        server.start();
        return api;
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            int status = 200;
            ObjectNode answer;
            try {
                answer = route(exchange);
            } catch (TowerRefusal refusal) {
                status = refusal.status();
                answer = TowerJson.error(refusal.code(), refusal.getMessage());
            } catch (RpcException | ChainRpcException unreachable) {
                status = 503;
                answer = TowerJson.error(TowerRefusal.CHAIN_UNAVAILABLE, "the tower cannot read the chain to check "
                        + "the channel right now; nothing was stored, try again in a minute");
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
                status = 500;
                answer = TowerJson.error(TowerRefusal.INTERNAL, "the tower failed to handle the request; its log "
                        + "says why. Nothing is known to be stored: upload again later");
            }
            byte[] bytes = TowerJson.MAPPER.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException clientGone) {
            LOG.debug("could not answer {}: {}", exchange.getRequestURI().getRawPath(), clientGone.toString());
        }
    }

    private ObjectNode route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Route route = routes.get(path);
        if (route == null) {
            throw new TowerRefusal(404, TowerRefusal.NOT_FOUND, "there is no " + path + "; the API is GET /v1/info, "
                    + "POST /v1/proofs and POST /v1/restore");
        }
        if (!route.method().equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", route.method());
            throw new TowerRefusal(405, TowerRefusal.METHOD_NOT_ALLOWED, path + " takes " + route.method()
                    + " only");
        }
        return route.handler().apply(readBody(exchange.getRequestBody()));
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new TowerRefusal(413, TowerRefusal.BODY_TOO_LARGE, "a request body is at most " + MAX_BODY_BYTES
                    + " bytes; an upload is one proof and one request");
        }
        return body;
    }
}
