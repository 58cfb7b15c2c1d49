using Microsoft.Extensions.AI;

namespace Genesis.Llm;

/// <summary>Passes every call through and answers <c>GetService(typeof(ModelPrice))</c> with the model's price.</summary>
internal sealed class PricedChatClient(IChatClient innerClient, ModelPrice price) : DelegatingChatClient(innerClient)
{
    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ModelPrice) ? price : base.GetService(serviceType, serviceKey);
    }
}
