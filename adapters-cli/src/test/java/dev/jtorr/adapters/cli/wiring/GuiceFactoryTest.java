package dev.jtorr.adapters.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuiceFactoryTest {
    /** A jtorr class with an injected constructor, as the commands are. */
    static final class Greeter {
        final String greeting;

        @Inject
        Greeter(@Named("greeting") String greeting) {
            this.greeting = greeting;
        }
    }

    /** A jtorr class Guice cannot build (no injectable constructor): picocli's default factory does. */
    static final class Plain {
        final String value;

        Plain(String value) {
            this.value = value;
        }

        Plain() {
            this("made by picocli");
        }
    }

    private final GuiceFactory factory = new GuiceFactory(Guice.createInjector(new AbstractModule() {
        @Override
        protected void configure() {
            bindConstant().annotatedWith(Names.named("greeting")).to("hello");
            // were the factory to ask Guice for a JDK type, this instance would come back
            bind(List.class).toInstance(List.of("from guice"));
        }
    }));

    @Test
    void jtorrClassesAreBuiltByGuice() throws Exception {
        assertEquals("hello", factory.create(Greeter.class).greeting);
    }

    @Test
    void typesFromOutsideJtorrAreLeftToPicocli() throws Exception {
        List<?> list = factory.create(List.class);
        assertInstanceOf(ArrayList.class, list);
        assertTrue(list.isEmpty());
    }

    @Test
    void jtorrClassesGuiceCannotBuildFallBackToPicocli() throws Exception {
        assertEquals("made by picocli", factory.create(Plain.class).value);
    }
}
