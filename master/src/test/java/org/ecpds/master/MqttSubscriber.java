package org.ecpds.master;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.ecpds.testkit.MosquittoServer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A real subscriber on the test broker (QoS 1), keeping every message it receives. */
final class MqttSubscriber implements AutoCloseable {
  record Received(String topic, String payload, boolean retained) {}

  private final MqttClient client;
  private final List<Received> received = new ArrayList<>();

  MqttSubscriber(MosquittoServer broker, String filter) throws Exception {
    client = new MqttClient(broker.url(), "sub-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(broker.user());
    o.setPassword(broker.password().toCharArray());
    o.setCleanSession(true);
    client.connect(o);
    client.subscribe(filter, 1, (topic, m) -> {
      synchronized (received) {
        received.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained()));
      }
    });
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (client.isConnected()) client.disconnectForcibly(0, 1000, false);
    } finally {
      client.close(true);
    }
  }
}
