package io.turnpike.chain;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.channel.TypedMessage;
import io.turnpike.core.channel.Withdraw;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;

/**
 * A fresh TurnpikeChannels deployment with a test token and four funded parties: Alice and Bob (the
 * participants), a watchtower, and an outsider who sends the transactions "anyone" may send, so that
 * Alice's and Bob's balances change only by what the channel pays them.
 */
public final class ChannelFixture {

    public static final long MIN_PERIOD = 60;
    public static final long MAX_PERIOD = 30 * 24 * 3600;
    public static final long PERIOD = 3600;
    public static final Amount ETHER = Amount.of(1_000_000_000_000_000_000L);

    public final Anvil anvil;
    public final Chain chain;
    public final ChannelsContract channels;
    public final Erc20 token;
    public final PrivateKey aliceKey;
    public final PrivateKey bobKey;
    public final PrivateKey towerKey;
    public final ChainAccount deployer;
    public final ChainAccount alice;
    public final ChainAccount bob;
    public final ChainAccount tower;
    public final ChainAccount outsider;

    private ChannelFixture(Anvil anvil) {
        this.anvil = anvil;
        this.chain = anvil.connect();
        this.deployer = chain.account(anvil.devKeys().get(0));
        this.aliceKey = anvil.devKeys().get(1);
        this.bobKey = anvil.devKeys().get(2);
        this.towerKey = anvil.devKeys().get(3);
        this.alice = chain.account(aliceKey);
        this.bob = chain.account(bobKey);
        this.tower = chain.account(towerKey);
        this.outsider = chain.account(anvil.devKeys().get(4));
        this.channels = ChannelsContract.deploy(deployer, MIN_PERIOD, MAX_PERIOD);
        this.token = Erc20.deployTestToken(deployer, "Test Token", "TST");
        for (ChainAccount participant : new ChainAccount[] {alice, bob}) {
            token.mint(deployer, participant.address(), ETHER.times(1000));
            token.approve(participant, channels.address(), Amount.of(Amount.MAX_UINT256));
        }
    }

    public static ChannelFixture deploy(Anvil anvil) {
        return new ChannelFixture(anvil);
    }

    public Eip712Domain domain() {
        return channels.domain();
    }

    public static Amount ether(long whole) {
        return ETHER.times(whole);
    }

    /** Opens an ether channel Alice → Bob with both deposits. */
    public long openEther(Amount aliceDeposit, Amount bobDeposit) {
        long id = channels.openWithDeposit(alice, bob.address(), Address.ZERO, PERIOD, aliceDeposit).channelId();
        if (!bobDeposit.isZero()) {
            channels.setTotalDeposit(bob, id, bob.address(), bobDeposit, bobDeposit);
        }
        return id;
    }

    /** Opens a test-token channel Alice → Bob with both deposits. */
    public long openToken(Amount aliceDeposit, Amount bobDeposit) {
        long id = channels.openWithDeposit(alice, bob.address(), token.address(), PERIOD, aliceDeposit).channelId();
        if (!bobDeposit.isZero()) {
            channels.setTotalDeposit(bob, id, bob.address(), bobDeposit, Amount.ZERO);
        }
        return id;
    }

    public byte[] sign(TypedMessage message, PrivateKey key) {
        return Signed.sign(message, domain(), key).signature().bytes();
    }

    public byte[] proof(PrivateKey signer, long channelId, long nonce, Amount transferred) {
        return sign(new BalanceProof(channelId, nonce, transferred), signer);
    }

    public byte[] settleSignature(PrivateKey signer, long channelId, Amount payoutA, Amount payoutB) {
        return sign(new CooperativeSettle(channelId, payoutA, payoutB), signer);
    }

    public byte[] withdrawSignature(PrivateKey signer, long channelId, Address participant, Amount total, long expiry) {
        return sign(new Withdraw(channelId, participant, total, expiry), signer);
    }

    public byte[] monitorSignature(PrivateKey nonCloser, long channelId, long nonce, Amount transferred, Amount reward,
                                   Address monitor) {
        return sign(new MonitorRequest(channelId, nonce, transferred, reward, monitor), nonCloser);
    }

    /** The chain's current time: expiries are judged against block timestamps, not the test's clock. */
    public long chainTime() {
        return chain.latestBlock().getTimestamp().longValueExact();
    }

    public void passChallengePeriod() {
        anvil.advanceTime(PERIOD + 1);
    }
}
