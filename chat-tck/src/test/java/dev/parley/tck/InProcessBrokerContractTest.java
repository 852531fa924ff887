package dev.parley.tck;

import dev.parley.core.local.InProcessBroker;
import dev.parley.core.spi.Broker;

/** The embedded default passes the broker contract. */
class InProcessBrokerContractTest extends BrokerContract {
    @Override
    protected Broker createBroker() {
        return new InProcessBroker();
    }
}
