package io.recon.console;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** Sends a browser that opens the service's root to the console. */
@Path("/")
public class ConsoleHome {

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/console/")).build();
    }
}
