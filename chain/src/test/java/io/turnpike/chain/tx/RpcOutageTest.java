package io.turnpike.chain.tx;

import io.turnpike.core.ErrorCode;
import static io.turnpike.chain.tx.TxHarness.confirmed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.RpcProxy;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.rpc.BackOff;
import io.turnpike.chain.rpc.RpcConfig;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.core.Amount;
import io.turnpike.store.TxStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RPC provider goes away, or loses answers, while transactions are in flight. */
class RpcOutageTest {

    @TempDir
    Path dir;

    @Test
    void providerGoneForAWhileDelaysTransactionsButNeverDuplicatesOrSkipsANonce() throws Exception {
        Path state = Files.createDirectories(dir.resolve("chain")).resolve("state.json");
        Path storeDir = Files.createDirectories(dir.resolve("store"));
        Anvil provider = Anvil.start(SharedAnvil.CHAIN_ID, state);
        try (TxHarness h = new TxHarness(provider, provider.rpcUrl(), storeDir)) {
            TransactionManager manager = h.manager();
            long firstNonce = h.chain.nonce(h.sender);
            provider.setAutomine(false);
            SubmittedTx one = h.transfer(manager, 1_000);
            SubmittedTx two = h.transfer(manager, 20_000);
            provider.mine();
            manager.tick();
            SubmittedTx three = h.transfer(manager, 300_000);

            provider.close(); // gone, and the pending third transaction with it
            manager.tick();
            assertThatThrownBy(() -> h.transfer(manager, 4_000_000)).isInstanceOfSatisfying(RpcException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_UNAVAILABLE));
            assertThat(manager.tracked()).as("nothing recorded for the refused submit").hasSize(3);
            h.clock.advance(RpcConfig.DEFAULT_STALE_AFTER.plusSeconds(1));
            manager.tick();
            assertThat(h.chain.rpc().isStale()).isTrue();

            try (Anvil back = Anvil.start(SharedAnvil.CHAIN_ID, state, provider.port())) {
                h.clock.advance(BackOff.defaults().max());
                h.mineUntil(manager, back, confirmed(one, two, three));

                assertThat(h.chain.rpc().isStale()).isFalse();
                assertThat(List.of(one, two, three)).allSatisfy(tx -> {
                    assertThat(tx.hashes()).as("sent again as the same bytes").hasSize(1);
                    assertThat(h.stored(tx.hash()).status()).isEqualTo(TxStatus.CONFIRMED);
                });
                assertThat(List.of(one.nonce(), two.nonce(), three.nonce()))
                        .containsExactlyElementsOf(LongStream.range(firstNonce, firstNonce + 3).boxed().toList());
                assertThat(h.chain.nonce(h.sender)).isEqualTo(firstNonce + 3);
                assertThat(h.received()).isEqualTo(Amount.of(321_000));
            }
        }
    }

    @Test
    void sendWhoseAnswerIsLostIsLookedUpByHashNotSentWithANewNonce() {
        Anvil node = Anvil.start(SharedAnvil.CHAIN_ID);
        try (RpcProxy provider = RpcProxy.to(node.rpcUrl());
             TxHarness h = new TxHarness(node, provider.url(), dir)) {
            TransactionManager manager = h.manager();
            long firstNonce = h.chain.nonce(h.sender);
            provider.loseAnswersTo("eth_sendRawTransaction");

            SubmittedTx tx = h.transfer(manager, 6_000);

            assertThat(tx.status()).as("maybe published").isEqualTo(TxStatus.SENT);
            assertThat(provider.forwarded("eth_sendRawTransaction")).isPositive();
            provider.up();
            h.clock.advance(BackOff.defaults().max());
            h.mineUntil(manager, confirmed(tx));
            assertThat(tx.hashes()).hasSize(1);
            assertThat(h.chain.nonce(h.sender)).isEqualTo(firstNonce + 1);
            assertThat(h.received()).isEqualTo(Amount.of(6_000));
        }
    }
}
