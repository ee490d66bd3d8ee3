package io.turnpike.chain;

import static io.turnpike.chain.ChannelFixture.MAX_PERIOD;
import static io.turnpike.chain.ChannelFixture.MIN_PERIOD;
import static io.turnpike.chain.ChannelFixture.PERIOD;
import static io.turnpike.chain.ChannelFixture.ether;
import static io.turnpike.chain.ChannelsContract.addr;
import static io.turnpike.chain.ChannelsContract.uint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.ChannelEvent.ChannelSettled;
import io.turnpike.chain.ChannelsContract.ChannelInfo;
import io.turnpike.chain.ChannelsContract.ParticipantInfo;
import io.turnpike.chain.ChannelsContract.Status;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.ChannelTotals;
import io.turnpike.core.channel.Payouts;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.channel.TypedMessage;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.Signature;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Attacks on TurnpikeChannels, each on a real anvil: the contract refuses it with the named error, and
 * no money moves that should not. Bob is the attacker unless the test says otherwise: he closes with
 * proofs of Alice's payments to him, so a proof that counted would raise his payout.
 */
@ExtendWith(AnvilExtension.class)
class ChannelAttackTest {

    private static final Amount ALICE_DEPOSIT = ether(10);
    private static final Amount BOB_DEPOSIT = ether(5);
    /** What Bob has paid Alice (his proof, nonce 4) when she closes. */
    private static final Amount BOB_PAID = ether(1);
    private static final long ALICE_OLDER_NONCE = 4;
    private static final Amount ALICE_OLDER = ether(3);
    private static final long ALICE_NEWEST_NONCE = 9;
    private static final Amount ALICE_NEWEST = ether(7);
    private static final Amount REWARD = Amount.of(10_000_000_000_000_000L);
    private static final byte[] NO_SIGNATURE = new byte[0];

    private static final BigInteger CURVE_ORDER = Sign.CURVE_PARAMS.getN();
    private static final BigInteger FIELD_PRIME = Sign.CURVE_PARAMS.getCurve().getField().getCharacteristic();
    private static final BigInteger UINT128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final ContractArtifact HOSTILE_RECEIVER = ContractArtifact.load("HostileReceiver");

    // ---------------------------------------------------------------- replayed and forged signatures

    @Test
    void proofSignedForAnotherChainIsRefused(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        Eip712Domain otherChain = Eip712Domain.turnpike(f.chain.chainId() + 1, f.channels.address());
        byte[] replayed = sign(new BalanceProof(id, 1, ALICE_NEWEST), otherChain, f.aliceKey);

        assertRefused(f, id, "WrongSigner", () -> f.channels.close(f.bob, id, 1, ALICE_NEWEST, replayed));
    }

    @Test
    void proofSignedForAnotherDeploymentIsRefused(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        byte[] proofForFirst = f.proof(f.aliceKey, id, 1, ALICE_NEWEST);
        ChannelsContract second = ChannelsContract.deploy(f.deployer, MIN_PERIOD, MAX_PERIOD);
        long secondId = second.openWithDeposit(f.alice, f.bob.address(), Address.ZERO, PERIOD, ALICE_DEPOSIT)
                .channelId();
        // Same id, same pair, same asset: only the contract address in the domain tells the two apart.
        assertThat(secondId).isEqualTo(id);

        assertRefused(f, second, secondId, "WrongSigner",
                () -> second.close(f.bob, secondId, 1, ALICE_NEWEST, proofForFirst));
    }

    @Test
    void proofFromASettledChannelIsRefusedOnTheReopenedOne(ChannelFixture f) {
        long first = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        byte[] paidInFirst = f.proof(f.aliceKey, first, 3, ALICE_NEWEST);
        settleCooperatively(f, first, owedWhenAliceSent(ALICE_NEWEST));
        long second = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        assertThat(second).isNotEqualTo(first);

        assertRefused(f, second, "WrongSigner", () -> f.channels.close(f.bob, second, 3, ALICE_NEWEST, paidInFirst));
    }

    @Test
    void signatureOfAnotherMessageTypeIsNotABalanceProof(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        long nonce = 3;
        // The same numbers in the same positions: only the type name inside the hash differs.
        byte[] cooperativeSettle = f.settleSignature(f.aliceKey, id, Amount.of(nonce), ALICE_NEWEST);
        byte[] monitorRequest = f.monitorSignature(f.aliceKey, id, nonce, ALICE_NEWEST, Amount.ZERO, f.bob.address());

        for (byte[] otherType : List.of(cooperativeSettle, monitorRequest)) {
            assertRefused(f, id, "WrongSigner", () -> f.channels.close(f.bob, id, nonce, ALICE_NEWEST, otherType));
        }
    }

    @Test
    void malleatedHighSSignatureIsRefused(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        BalanceProof proof = new BalanceProof(id, 1, ALICE_NEWEST);
        Signature genuine = Signature.of(f.sign(proof, f.aliceKey));
        byte[] twin = signatureBytes(genuine.r(), CURVE_ORDER.subtract(genuine.s()), genuine.v() == 27 ? 28 : 27);
        // Plain ecrecover accepts the twin as Alice's: only the low-s rule tells it apart.
        assertThat(recoverAcceptingHighS(f.domain().digest(proof), twin)).isEqualTo(f.alice.address());

        assertRefused(f, id, "MalleableSignature", () -> f.channels.close(f.bob, id, 1, ALICE_NEWEST, twin));
    }

    @ParameterizedTest(name = "v = {0}")
    @ValueSource(ints = {0, 1, 29})
    void signatureWithVOtherThan27Or28IsRefused(int v, ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        byte[] signature = f.proof(f.aliceKey, id, 1, ALICE_NEWEST);
        signature[Signature.LENGTH - 1] = (byte) v;

        assertRefused(f, id, "InvalidSignatureV", () -> f.channels.close(f.bob, id, 1, ALICE_NEWEST, signature));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signaturesRecoveringToNoOne")
    void signatureRecoveringToTheZeroAddressIsRefused(byte[] signature, ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);

        assertRefused(f, id, "InvalidSignature", () -> f.channels.close(f.bob, id, 1, ALICE_NEWEST, signature));
    }

    static Stream<Named<byte[]>> signaturesRecoveringToNoOne() {
        BigInteger generatorX = Sign.CURVE_PARAMS.getG().getAffineXCoord().toBigInteger();
        return Stream.of(
                Named.of("r = 0", signatureBytes(BigInteger.ZERO, BigInteger.ONE, 27)),
                Named.of("s = 0", signatureBytes(generatorX, BigInteger.ZERO, 27)),
                Named.of("r is no point's x", signatureBytes(firstXOffTheCurve(), BigInteger.ONE, 27)));
    }

    // ---------------------------------------------------------------- close, update, settle

    @Test
    void staleStateAtCloseIsOverturnedByUpdatesUpToTheNewestProof(ChannelFixture f) {
        long id = openAndCloseByAlice(f);
        // Alice closed hoping Bob would not submit her payments; he submits an older one, then the newest.
        updateByBob(f, id, ALICE_OLDER_NONCE, ALICE_OLDER);
        updateByBob(f, id, ALICE_NEWEST_NONCE, ALICE_NEWEST);
        f.passChallengePeriod();

        Payouts owed = owedWhenAliceSent(ALICE_NEWEST);
        assertThat(owed).isEqualTo(new Payouts(ether(4), ether(11)));
        assertSettlePays(f, id, owed);
    }

    @Test
    void closerCannotReplaceItsOwnRecordedProof(ChannelFixture f) {
        long id = openAndCloseByAlice(f);
        updateByBob(f, id, ALICE_NEWEST_NONCE, ALICE_NEWEST);
        // Alice can sign any proof of her own: a newer one saying she paid nothing would erase her payments.
        long forgedNonce = ALICE_NEWEST_NONCE + 1;
        byte[] forged = f.proof(f.aliceKey, id, forgedNonce, Amount.ZERO);

        assertRefused(f, id, "CloserCannotUpdate", () -> f.channels.updateNonClosingProof(f.alice, id, forgedNonce,
                Amount.ZERO, forged, Amount.ZERO, NO_SIGNATURE));
        assertThat(f.channels.participant(id, f.alice.address()).transferred()).isEqualTo(ALICE_NEWEST);
    }

    @Test
    void updateWithAnEqualOrLowerNonceIsRefused(ChannelFixture f) {
        long id = openAndCloseByAlice(f);
        // Bob handed his tower requests along the way, then submitted the newest proof himself.
        byte[] olderRequest = f.monitorSignature(f.bobKey, id, ALICE_OLDER_NONCE, ALICE_OLDER, REWARD,
                f.tower.address());
        byte[] sameRequest = f.monitorSignature(f.bobKey, id, ALICE_NEWEST_NONCE, ALICE_NEWEST, REWARD,
                f.tower.address());
        updateByBob(f, id, ALICE_NEWEST_NONCE, ALICE_NEWEST);

        assertRefused(f, id, "NonceNotIncreasing", () -> f.channels.updateNonClosingProof(f.tower, id,
                ALICE_OLDER_NONCE, ALICE_OLDER, f.proof(f.aliceKey, id, ALICE_OLDER_NONCE, ALICE_OLDER), REWARD,
                olderRequest));
        assertRefused(f, id, "NonceNotIncreasing", () -> f.channels.updateNonClosingProof(f.tower, id,
                ALICE_NEWEST_NONCE, ALICE_NEWEST, f.proof(f.aliceKey, id, ALICE_NEWEST_NONCE, ALICE_NEWEST), REWARD,
                sameRequest));
        f.passChallengePeriod();
        assertSettlePays(f, id, owedWhenAliceSent(ALICE_NEWEST));
    }

    @Test
    void settleBeforeTheChallengePeriodEndsIsRefused(ChannelFixture f) {
        long id = openAndCloseByAlice(f);
        f.anvil.advanceTime(PERIOD - 60);

        assertRefused(f, id, "ChallengePeriodNotOver", () -> f.channels.settle(f.outsider, id));
        assertThat(f.channels.channel(id).status()).isEqualTo(Status.CLOSED);
    }

    // ---------------------------------------------------------------- deposits, withdraws, cooperative settle

    @Test
    void depositTotalThatDoesNotIncreaseIsRefused(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);

        assertRefused(f, id, "DepositNotIncreasing",
                () -> f.channels.setTotalDeposit(f.bob, id, f.bob.address(), ether(4), Amount.ZERO));
        // A retried deposit transaction (same total, same value) must not deposit twice.
        assertRefused(f, id, "DepositNotIncreasing",
                () -> f.channels.setTotalDeposit(f.bob, id, f.bob.address(), BOB_DEPOSIT, BOB_DEPOSIT));
    }

    @Test
    void depositTotalBeyondUint128IsRefused(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        // Truncated to uint128 this total would read as Bob's deposit plus one wei.
        Amount wrapping = Amount.of(UINT128_MAX.add(BOB_DEPOSIT.value()).add(BigInteger.TWO));

        assertRefused(f, id, "AmountTooLarge",
                () -> f.channels.setTotalDeposit(f.bob, id, f.bob.address(), wrapping, Amount.of(1)));
    }

    @Test
    void withdrawAfterItsExpiryIsRefused(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        Amount total = ether(2);
        long expiry = f.chainTime() + 600;
        byte[] byAlice = f.withdrawSignature(f.aliceKey, id, f.alice.address(), total, expiry);
        byte[] byBob = f.withdrawSignature(f.bobKey, id, f.alice.address(), total, expiry);
        f.anvil.advanceTime(601);

        assertRefused(f, id, "WithdrawExpired",
                () -> f.channels.setTotalWithdraw(f.outsider, id, f.alice.address(), total, expiry, byAlice, byBob));
    }

    @Test
    void cooperativeSettleWhosePayoutsDoNotAddUpIsRefused(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        Amount held = f.channels.held(id);
        Amount oneWei = Amount.of(1);
        List<Payouts> signedByBoth = List.of(
                new Payouts(ALICE_DEPOSIT, BOB_DEPOSIT.plus(oneWei)), // would take another channel's money
                new Payouts(ALICE_DEPOSIT, BOB_DEPOSIT.minus(oneWei)), // would lock a wei forever
                new Payouts(held.plus(oneWei), Amount.of(Amount.MAX_UINT256))); // sums to held modulo 2^256

        for (Payouts payouts : signedByBoth) {
            assertRefused(f, id, "PayoutsDoNotAddUp", () -> f.channels.cooperativeSettle(f.outsider, id,
                    payouts.a(), payouts.b(), f.settleSignature(f.aliceKey, id, payouts.a(), payouts.b()),
                    f.settleSignature(f.bobKey, id, payouts.a(), payouts.b())));
        }
    }

    // ---------------------------------------------------------------- tokens and ether the channels did not ask for

    @Test
    void feeOnTransferTokenIsCreditedWithWhatArrivedAndDrainedExactly(ChannelFixture f) {
        Erc20 feeToken = Erc20.deploy(f.deployer, ContractArtifact.load("FeeOnTransferToken"));
        for (ChainAccount participant : List.of(f.alice, f.bob)) {
            feeToken.mint(f.deployer, participant.address(), Amount.of(1_000_000));
            feeToken.approve(participant, f.channels.address(), Amount.of(Amount.MAX_UINT256));
        }
        long id = f.channels.openWithDeposit(f.alice, f.bob.address(), feeToken.address(), PERIOD,
                Amount.of(10_000)).channelId();
        f.channels.setTotalDeposit(f.bob, id, f.bob.address(), Amount.of(5_000), Amount.ZERO);

        // The token burns 1 % on the way in: the channel holds only what arrived.
        assertThat(f.channels.participant(id, f.alice.address()).deposit()).isEqualTo(Amount.of(9_900));
        assertThat(f.channels.participant(id, f.bob.address()).deposit()).isEqualTo(Amount.of(4_950));
        assertThat(f.channels.held(id)).isEqualTo(Amount.of(14_850))
                .isEqualTo(feeToken.balanceOf(f.channels.address()));

        f.channels.close(f.bob, id, 1, Amount.of(1_000), f.proof(f.aliceKey, id, 1, Amount.of(1_000)));
        f.passChallengePeriod();
        Amount aliceBefore = feeToken.balanceOf(f.alice.address());
        Amount bobBefore = feeToken.balanceOf(f.bob.address());
        TxReceipt settled = f.channels.settle(f.outsider, id);

        assertThat(f.channels.events(settled)).containsExactly(
                new ChannelSettled(id, Amount.of(8_900), Amount.of(5_950), Address.ZERO, Amount.ZERO));
        assertThat(feeToken.balanceOf(f.channels.address())).isEqualTo(Amount.ZERO);
        // The token burns 1 % on the way out too; that is the token's cut, not the contract's.
        assertThat(feeToken.balanceOf(f.alice.address())).isEqualTo(aliceBefore.plus(Amount.of(8_900 - 89)));
        assertThat(feeToken.balanceOf(f.bob.address())).isEqualTo(bobBefore.plus(Amount.of(5_950 - 59)));
    }

    @Test
    void tokensSentStraightToTheContractBelongToNoChannel(ChannelFixture f) {
        long id = f.openToken(ALICE_DEPOSIT, BOB_DEPOSIT);
        Holdings before = Holdings.of(f, f.channels, id);
        Amount stray = ether(3);
        f.token.transfer(f.alice, f.channels.address(), stray);

        Holdings after = Holdings.of(f, f.channels, id);
        assertThat(after.held()).isEqualTo(before.held());
        assertThat(List.of(after.a(), after.b())).isEqualTo(List.of(before.a(), before.b()));

        f.channels.close(f.bob, id, ALICE_NEWEST_NONCE, ALICE_NEWEST,
                f.proof(f.aliceKey, id, ALICE_NEWEST_NONCE, ALICE_NEWEST));
        f.passChallengePeriod();
        Payouts owed = new ChannelTotals(ALICE_DEPOSIT, Amount.ZERO, ALICE_NEWEST, BOB_DEPOSIT, Amount.ZERO,
                Amount.ZERO).payouts();
        assertSettlePays(f, id, owed, f.token::balanceOf);
        assertThat(f.token.balanceOf(f.channels.address())).isEqualTo(stray);
    }

    @Test
    void plainEtherSentToTheContractIsRefused(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        Holdings before = Holdings.of(f, f.channels, id);

        assertThatThrownBy(() -> f.outsider.transfer(f.channels.address(), ether(1)))
                .isInstanceOf(ChainRpcException.class);
        assertThat(Holdings.of(f, f.channels, id)).isEqualTo(before);
    }

    // ---------------------------------------------------------------- hostile receivers

    @Test
    void etherRecipientThatRefusesPaymentCannotBlockSettle(ChannelFixture f) {
        HostileParticipant hostile = HostileParticipant.deploy(f);
        hostile.setMode(HostileParticipant.Mode.REVERT, Address.ZERO, "0x");
        long id = hostile.openClosedChannelWithBob();
        Amount contractBefore = f.chain.balance(f.channels.address());
        Amount bobBefore = f.bob.balance();

        f.channels.settle(f.outsider, id);

        assertThat(f.channels.channel(id).status()).isEqualTo(Status.SETTLED);
        assertThat(f.bob.balance()).isEqualTo(bobBefore.plus(HostileParticipant.OWED_TO_BOB));
        assertThat(f.chain.balance(hostile.address())).isEqualTo(Amount.ZERO);
        assertThat(f.channels.failedTransfer(Address.ZERO, hostile.address())).isEqualTo(HostileParticipant.OWED_TO_IT);

        Address rescue = PrivateKey.random(new SecureRandom()).address();
        hostile.exec(Amount.ZERO, "withdrawFailed", addr(Address.ZERO), addr(rescue));
        assertThat(f.chain.balance(rescue)).isEqualTo(HostileParticipant.OWED_TO_IT);
        assertThat(f.channels.failedTransfer(Address.ZERO, hostile.address())).isEqualTo(Amount.ZERO);
        assertThat(f.chain.balance(f.channels.address())).isEqualTo(
                contractBefore.minus(HostileParticipant.OWED_TO_BOB).minus(HostileParticipant.OWED_TO_IT));
    }

    @ParameterizedTest
    @EnumSource(Reentry.class)
    void reentryThroughAPaidReceiverGetsNothingTwice(Reentry reentry, ChannelFixture f) {
        HostileParticipant hostile = HostileParticipant.deploy(f);
        long id = hostile.openClosedChannelWithBob();
        hostile.setMode(HostileParticipant.Mode.REENTER, f.channels.address(), reentry.call(id, hostile.address()));
        Amount contractBefore = f.chain.balance(f.channels.address());
        Amount bobBefore = f.bob.balance();

        // Settle forwards 30 000 gas, too little for the receiver's re-entry attempt: its payout waits.
        f.channels.settle(f.outsider, id);
        assertThat(f.bob.balance()).isEqualTo(bobBefore.plus(HostileParticipant.OWED_TO_BOB));
        assertThat(f.channels.failedTransfer(Address.ZERO, hostile.address()))
                .isEqualTo(HostileParticipant.OWED_TO_IT);

        // The claim forwards all its gas, so here the re-entry really runs, and gets nothing.
        hostile.exec(Amount.ZERO, "withdrawFailed", addr(Address.ZERO), addr(hostile.address()));
        assertThat(hostile.counter("reentryAttempts")).isEqualTo(1);
        assertThat(hostile.counter("reentrySuccesses")).isZero();
        assertThat(f.chain.balance(hostile.address())).isEqualTo(HostileParticipant.OWED_TO_IT);
        assertThat(f.chain.balance(f.channels.address())).isEqualTo(
                contractBefore.minus(HostileParticipant.OWED_TO_IT).minus(HostileParticipant.OWED_TO_BOB));
        assertThatThrownBy(() -> hostile.exec(Amount.ZERO, "withdrawFailed", addr(Address.ZERO),
                addr(hostile.address())))
                .isInstanceOfSatisfying(ContractRevertException.class,
                        refused -> assertThat(refused.error()).isEqualTo("NothingToWithdraw"));
    }

    /** What a receiver being paid by the channels contract tries to call on it again. */
    enum Reentry {
        SETTLE_AGAIN,
        CLAIM_AGAIN;

        String call(long channelId, Address receiver) {
            return switch (this) {
                case SETTLE_AGAIN -> encode("settle", uint(channelId));
                case CLAIM_AGAIN -> encode("withdrawFailed", addr(Address.ZERO), addr(receiver));
            };
        }
    }

    // ---------------------------------------------------------------- watchtower

    @Test
    void monitorRequestCannotBeSubmittedByAnotherAddress(ChannelFixture f) {
        long id = openAndCloseByAlice(f);
        byte[] towersRequest = f.monitorSignature(f.bobKey, id, ALICE_NEWEST_NONCE, ALICE_NEWEST, REWARD,
                f.tower.address());
        byte[] aliceProof = f.proof(f.aliceKey, id, ALICE_NEWEST_NONCE, ALICE_NEWEST);

        assertRefused(f, id, "WrongSigner", () -> f.channels.updateNonClosingProof(f.outsider, id,
                ALICE_NEWEST_NONCE, ALICE_NEWEST, aliceProof, REWARD, towersRequest));
    }

    @Test
    void watchtowerIsPaidItsRewardOutOfTheNonClosersPayout(ChannelFixture f) {
        long id = openAndCloseByAlice(f);
        f.channels.updateNonClosingProof(f.tower, id, ALICE_NEWEST_NONCE, ALICE_NEWEST,
                f.proof(f.aliceKey, id, ALICE_NEWEST_NONCE, ALICE_NEWEST), REWARD,
                f.monitorSignature(f.bobKey, id, ALICE_NEWEST_NONCE, ALICE_NEWEST, REWARD, f.tower.address()));
        f.passChallengePeriod();
        Amount towerBefore = f.tower.balance();

        Payouts owed = owedWhenAliceSent(ALICE_NEWEST);
        Payouts paid = new Payouts(owed.a(), owed.b().minus(REWARD));
        TxReceipt settled = assertSettlePays(f, id, paid);

        assertThat(f.tower.balance()).isEqualTo(towerBefore.plus(REWARD));
        assertThat(f.channels.events(settled))
                .containsExactly(new ChannelSettled(id, paid.a(), paid.b(), f.tower.address(), REWARD));
    }

    // ---------------------------------------------------------------- helpers

    /** Everything an attack could move: the channel's records, what the contract holds, the participants' ether. */
    private record Holdings(ChannelInfo channel, ParticipantInfo a, ParticipantInfo b, Amount held,
                            Amount contractEther, Amount contractTokens, Amount etherOfA, Amount etherOfB) {

        static Holdings of(ChannelFixture f, ChannelsContract contract, long id) {
            ChannelInfo channel = contract.channel(id);
            return new Holdings(channel, contract.participant(id, channel.participantA()),
                    contract.participant(id, channel.participantB()), contract.held(id),
                    f.chain.balance(contract.address()), f.token.balanceOf(contract.address()),
                    f.chain.balance(channel.participantA()), f.chain.balance(channel.participantB()));
        }
    }

    /**
     * A contract as a channel participant (HostileReceiver), driven by the deployer, its owner, through
     * {@code exec}. Being a contract it cannot sign balance proofs, so it only ever receives payments.
     */
    private record HostileParticipant(ChannelFixture f, Address address) {

        static final Amount DEPOSIT = ether(3);
        static final Amount BOBS_DEPOSIT = ether(2);
        static final Amount PAID_BY_BOB = ether(1);
        static final Amount OWED_TO_IT = DEPOSIT.plus(PAID_BY_BOB);
        static final Amount OWED_TO_BOB = BOBS_DEPOSIT.minus(PAID_BY_BOB);

        /** The receiver's reaction to ether, in the contract's order. */
        enum Mode { ACCEPT, REVERT, REENTER }

        static HostileParticipant deploy(ChannelFixture f) {
            return new HostileParticipant(f, f.deployer.deploy(HOSTILE_RECEIVER, "").createdContract());
        }

        void setMode(Mode mode, Address target, String call) {
            f.deployer.send(address, Amount.ZERO, encode("setMode", new Uint8(mode.ordinal()), addr(target),
                    new DynamicBytes(Numeric.hexStringToByteArray(call))), HOSTILE_RECEIVER);
        }

        /** Calls the channels contract as this receiver; a refusal carries the channels contract's error name. */
        TxReceipt exec(Amount value, String function, Type<?>... args) {
            byte[] call = Numeric.hexStringToByteArray(encode(function, args));
            return f.deployer.send(address, value, encode("exec", addr(f.channels.address()), new DynamicBytes(call)),
                    ChannelsContract.ARTIFACT);
        }

        /**
         * Opens an ether channel with Bob, closes it with Bob's proof of payment and lets the challenge
         * period pass: settle then owes {@link #OWED_TO_IT} to this receiver and {@link #OWED_TO_BOB} to Bob.
         */
        long openClosedChannelWithBob() {
            TxReceipt opened = exec(DEPOSIT, "openWithDeposit", addr(f.bob.address()), addr(Address.ZERO),
                    uint(PERIOD), uint(DEPOSIT));
            long id = ChannelsContract.Opened.from(opened, f.channels).channelId();
            f.channels.setTotalDeposit(f.bob, id, f.bob.address(), BOBS_DEPOSIT, BOBS_DEPOSIT);
            exec(Amount.ZERO, "close", uint(id), uint(1), uint(PAID_BY_BOB),
                    new DynamicBytes(f.proof(f.bobKey, id, 1, PAID_BY_BOB)));
            f.passChallengePeriod();
            return id;
        }

        long counter(String name) {
            org.web3j.abi.datatypes.Function view = new org.web3j.abi.datatypes.Function(name, List.of(),
                    List.of(new TypeReference<Uint256>() { }));
            String result = f.chain.call(address, FunctionEncoder.encode(view), HOSTILE_RECEIVER);
            return ((BigInteger) FunctionReturnDecoder.decode(result, view.getOutputParameters()).get(0).getValue())
                    .longValueExact();
        }
    }

    private static void assertRefused(ChannelFixture f, long id, String error, Runnable attack) {
        assertRefused(f, f.channels, id, error, attack);
    }

    private static void assertRefused(ChannelFixture f, ChannelsContract contract, long id, String error,
                                      Runnable attack) {
        Holdings before = Holdings.of(f, contract, id);
        assertThatThrownBy(attack::run).isInstanceOfSatisfying(ContractRevertException.class,
                refused -> assertThat(refused.error()).as(refused.getMessage()).isEqualTo(error));
        assertThat(Holdings.of(f, contract, id)).isEqualTo(before);
    }

    /** An ether channel Alice closed, crediting herself with Bob's payments but none of her own. */
    private static long openAndCloseByAlice(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        f.channels.close(f.alice, id, 4, BOB_PAID, f.proof(f.bobKey, id, 4, BOB_PAID));
        return id;
    }

    private static void updateByBob(ChannelFixture f, long id, long nonce, Amount aliceSent) {
        f.channels.updateNonClosingProof(f.bob, id, nonce, aliceSent, f.proof(f.aliceKey, id, nonce, aliceSent),
                Amount.ZERO, NO_SIGNATURE);
    }

    /** The payouts of an Alice-Bob channel in which Bob paid {@link #BOB_PAID} and Alice {@code aliceSent}. */
    private static Payouts owedWhenAliceSent(Amount aliceSent) {
        return new ChannelTotals(ALICE_DEPOSIT, Amount.ZERO, aliceSent, BOB_DEPOSIT, Amount.ZERO, BOB_PAID).payouts();
    }

    private static void settleCooperatively(ChannelFixture f, long id, Payouts payouts) {
        f.channels.cooperativeSettle(f.outsider, id, payouts.a(), payouts.b(),
                f.settleSignature(f.aliceKey, id, payouts.a(), payouts.b()),
                f.settleSignature(f.bobKey, id, payouts.a(), payouts.b()));
    }

    private static TxReceipt assertSettlePays(ChannelFixture f, long id, Payouts expected) {
        return assertSettlePays(f, id, expected, f.chain::balance);
    }

    /** Settles (sent by the outsider) and checks Alice and Bob each received exactly their payout. */
    private static TxReceipt assertSettlePays(ChannelFixture f, long id, Payouts expected,
                                              Function<Address, Amount> balance) {
        Amount aliceBefore = balance.apply(f.alice.address());
        Amount bobBefore = balance.apply(f.bob.address());
        TxReceipt settled = f.channels.settle(f.outsider, id);
        assertThat(balance.apply(f.alice.address())).isEqualTo(aliceBefore.plus(expected.a()));
        assertThat(balance.apply(f.bob.address())).isEqualTo(bobBefore.plus(expected.b()));
        return settled;
    }

    private static byte[] sign(TypedMessage message, Eip712Domain domain, PrivateKey key) {
        return Signed.sign(message, domain, key).signature().bytes();
    }

    /** r ‖ s ‖ v written by hand, bypassing the checks {@link Signature} makes. */
    private static byte[] signatureBytes(BigInteger r, BigInteger s, int v) {
        byte[] out = new byte[Signature.LENGTH];
        System.arraycopy(Numeric.toBytesPadded(r, 32), 0, out, 0, 32);
        System.arraycopy(Numeric.toBytesPadded(s, 32), 0, out, 32, 32);
        out[64] = (byte) v;
        return out;
    }

    /** What ecrecover (which knows nothing of EIP-2) returns for a signature. */
    private static Address recoverAcceptingHighS(byte[] digest, byte[] signature) {
        ECDSASignature rs = new ECDSASignature(new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)),
                new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)));
        BigInteger publicKey = Sign.recoverFromSignature((signature[64] & 0xff) - 27, rs, digest);
        return Address.of("0x" + Keys.getAddress(publicKey));
    }

    /** The smallest x for which y² = x³ + 7 has no solution: an r that names no curve point. */
    private static BigInteger firstXOffTheCurve() {
        BigInteger legendreExponent = FIELD_PRIME.subtract(BigInteger.ONE).shiftRight(1);
        BigInteger x = BigInteger.ONE;
        while (x.pow(3).add(BigInteger.valueOf(7)).modPow(legendreExponent, FIELD_PRIME).equals(BigInteger.ONE)) {
            x = x.add(BigInteger.ONE);
        }
        return x;
    }

    private static String encode(String function, Type<?>... args) {
        return FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(function, List.of(args), List.of()));
    }
}
