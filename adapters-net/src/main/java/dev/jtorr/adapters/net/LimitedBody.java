package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.TrackerException;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** An HTTP body read into memory up to a limit; a longer body cancels the exchange and fails. */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int limit;
    private final String url;
    private Flow.Subscription subscription;

    LimitedBody(int limit, String url) {
        this.limit = limit;
        this.url = url;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            if (out.size() + b.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(new TrackerException("tracker " + url + " sent a reply over "
                        + limit / 1024 + " KiB"));
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }
}
