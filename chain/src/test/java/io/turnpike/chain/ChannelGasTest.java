package io.turnpike.chain;

import static io.turnpike.chain.ChannelFixture.ether;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.CooperativeSettle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every action a node takes in a channel costs at most the gas {@link ChannelGas} says, on a fresh deployment (so a
 * token's first channel pays its registration): the estimates a node shows before asking are never below the truth.
 */
@ExtendWith(AnvilExtension.class)
class ChannelGasTest {

    @Test
    void eachActionCostsAtMostItsEstimateInEtherAndInAToken(ChannelFixture f) {
        for (boolean inToken : new boolean[] {false, true}) {
            Address asset = inToken ? f.token.address() : Address.ZERO;
            Amount value = inToken ? Amount.ZERO : ether(1);
            // The node approves exactly what it deposits before each token deposit, so its allowance starts at 0.
            if (inToken) {
                f.token.approve(f.alice, f.channels.address(), Amount.ZERO);
            }
            long approve = inToken ? f.token.approve(f.alice, f.channels.address(), ether(1)).gasUsed() : 0;
            ChannelsContract.Opened opened = f.channels.openWithDeposit(f.alice, f.bob.address(), asset,
                    ChannelFixture.PERIOD, ether(1));
            assertThat(approve + opened.receipt().gasUsed()).as("open, token %s", inToken)
                    .isLessThanOrEqualTo(ChannelGas.OPEN.gas(inToken));
            long id = opened.channelId();

            approve = inToken ? f.token.approve(f.alice, f.channels.address(), ether(1)).gasUsed() : 0;
            assertThat(approve + f.channels.setTotalDeposit(f.alice, id, f.alice.address(), ether(2), value).gasUsed())
                    .as("top-up, token %s", inToken).isLessThanOrEqualTo(ChannelGas.DEPOSIT.gas(inToken));

            long expiry = f.chainTime() + 600;
            assertThat(f.channels.setTotalWithdraw(f.alice, id, f.alice.address(), ether(1), expiry,
                            f.withdrawSignature(f.aliceKey, id, f.alice.address(), ether(1), expiry),
                            f.withdrawSignature(f.bobKey, id, f.alice.address(), ether(1), expiry)).gasUsed())
                    .as("withdraw, token %s", inToken).isLessThanOrEqualTo(ChannelGas.WITHDRAW.gas(inToken));

            CooperativeSettle settle = new CooperativeSettle(id, Amount.of(1), ether(1).minus(Amount.of(1)));
            assertThat(f.channels.cooperativeSettle(f.alice, id, settle.payoutA(), settle.payoutB(),
                            f.sign(settle, f.aliceKey), f.sign(settle, f.bobKey)).gasUsed())
                    .as("cooperative settle, token %s", inToken)
                    .isLessThanOrEqualTo(ChannelGas.SETTLE_COOPERATIVELY.gas(inToken));

            if (inToken) {
                f.token.approve(f.alice, f.channels.address(), ether(1));
            }
            long closing = f.channels.openWithDeposit(f.alice, f.bob.address(), asset, ChannelFixture.PERIOD,
                    ether(1)).channelId();
            Amount paid = Amount.of(3_000_000);
            long close = f.channels.close(f.bob, closing, 1, paid, f.sign(new BalanceProof(closing, 1, paid),
                    f.aliceKey)).gasUsed();
            f.passChallengePeriod();
            assertThat(close + f.channels.settle(f.bob, closing).gasUsed()).as("close and settle, token %s", inToken)
                    .isLessThanOrEqualTo(ChannelGas.CLOSE_AND_SETTLE.gas(inToken));
        }
    }
}
