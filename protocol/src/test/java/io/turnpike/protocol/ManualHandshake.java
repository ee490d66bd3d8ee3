package io.turnpike.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.channel.Handshake;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerMessage.Auth;
import io.turnpike.protocol.PeerMessage.Hello;
import java.util.List;

/**
 * The handshake a node runs, done by hand by a peer that is no node ({@link RawPeer}, {@link TcpPeer}): the answer
 * to the server's hello, and the check that the server's auth proves the key it said hello with.
 */
record ManualHandshake(Hello server, PrivateKey key, Eip712Domain domain, Bytes32 challenge) {

    /** Our hello and our auth, in the order they are sent. */
    List<PeerMessage> answer() {
        Handshake answer = new Handshake(server.challenge(), key.address(), server.address());
        return List.of(new Hello(key.address(), domain.chainId(), domain.verifyingContract(), challenge),
                new Auth(Signed.sign(answer, domain, key).signature()));
    }

    void check(PeerMessage serverAuth) {
        assertThat(serverAuth).as("the server's auth").isInstanceOf(Auth.class);
        Signed<Handshake> proof = new Signed<>(new Handshake(challenge, server.address(), key.address()),
                ((Auth) serverAuth).signature());
        assertThat(proof.isSignedBy(server.address(), domain)).isTrue();
    }
}
