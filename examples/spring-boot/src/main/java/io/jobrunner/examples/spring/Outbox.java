package io.jobrunner.examples.spring;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Where the example's mails go: a real application would hand them to its mail server here. */
@Component
public class Outbox {

    private final List<String> sent = new CopyOnWriteArrayList<>();

    public void send(String to, String template) {
        sent.add(template + " " + to);
    }

    public List<String> sent() {
        return List.copyOf(sent);
    }
}
