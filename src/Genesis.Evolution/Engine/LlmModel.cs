using Genesis.Llm;
using Microsoft.Extensions.AI;

namespace Genesis.Engine;

/// <summary>One model of the ensemble: its client, the name it is recorded under, its prior weight and its price.</summary>
internal sealed record LlmModel(IChatClient Client, string Name, double Weight, ModelPrice? Price);
