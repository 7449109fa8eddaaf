using System.Buffers;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace InstantChat.Web.Endpoints;

/// <summary>
/// The 200 for a logged delivery, <c>{"deliveryId":"…"}</c>, written in one synchronous step with its
/// length: the generic JSON result's async serializer was about 1.5 % of an acknowledgement's CPU
/// (bench/RESULTS.md). OpenAPI sees the same response as <c>Ok&lt;DeliveryAccepted&gt;</c>.
/// </summary>
public sealed class DeliveryAcceptedResult(string deliveryId) : IResult, IStatusCodeHttpResult, IValueHttpResult<DeliveryAccepted>, IEndpointMetadataProvider
{
    public DeliveryAccepted Value { get; } = new(deliveryId);

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var body = new ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("deliveryId"u8, Value.DeliveryId);
            json.WriteEndObject();
        }
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.WrittenCount;
        response.BodyWriter.Write(body.WrittenSpan);
        return Task.CompletedTask; // Kestrel sends what is written when the request ends
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(DeliveryAccepted), ["application/json"]));
}
