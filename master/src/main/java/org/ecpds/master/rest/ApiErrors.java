package org.ecpds.master.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ecpds.master.acquisition.DirectoryRuleException;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.ForbiddenException;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.service.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every failure becomes {"status":"error","message":...} with the status code that fits it. */
public final class ApiErrors implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  @Override
  public Response toResponse(Throwable e) {
    int code;
    String message = e.getMessage();
    if (e instanceof IllegalArgumentException) {
      code = 400;
    } else if (e instanceof JsonProcessingException j) {
      code = 400;
      message = JsonErrors.describe(j);
    } else if (e instanceof NotFoundException) {
      code = 404;
    } else if (e instanceof ForbiddenException) {
      code = 403;
    } else if (e instanceof ConflictException) {
      code = 409;
    } else if (e instanceof ServiceUnavailableException) {
      code = 503;
    } else if (e instanceof WebApplicationException w) {
      code = w.getResponse().getStatus();
      message = JsonErrorHandler.describe(code);
    } else {
      code = 500;
      message = org.ecpds.common.errors.InternalErrors.record(LOG, "the REST API", e);
    }
    Response r = error(code, message);
    if (e instanceof DirectoryRuleException d) {
      // each problem with its line and column, so a UI can point at it
      @SuppressWarnings("unchecked")
      Map<String, Object> body = (Map<String, Object>) r.getEntity();
      body.put("problems", d.problems());
    }
    return r;
  }

  public static Response error(int code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "error");
    body.put("message", message == null ? "error" : message);
    return Response.status(code).type(MediaType.APPLICATION_JSON).entity(body).build();
  }
}
