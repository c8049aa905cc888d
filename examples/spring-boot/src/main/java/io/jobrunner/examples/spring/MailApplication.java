package io.jobrunner.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A shop's sign-up service: {@code POST /signups?email=...} answers at once and pushes a {@code sendMail} job; the
 * {@link WelcomeMail} bean sends it in the background, here or in any other instance. The starter wires the client
 * and the runner from {@code application.yml}, adds the {@code jobRunner} health component and the
 * {@code jobrunner.*} meters, and stops the runner gracefully when the application stops.
 */
@SpringBootApplication
public class MailApplication {

    public static void main(String[] args) {
        SpringApplication.run(MailApplication.class, args);
    }
}
