package dev.parley.broker.nats;

import dev.parley.core.spi.Broker;
import dev.parley.tck.BrokerContract;

/** {@link NatsBroker} passes the broker contract, each test on its own subjects of the local NATS server. */
class NatsBrokerContractTest extends BrokerContract {
    @Override
    protected Broker createBroker() {
        LocalNats.require();
        return NatsBroker.builder().servers(LocalNats.URL).subjectPrefix(LocalNats.uniquePrefix()).nodeId("contract")
                .build();
    }
}
