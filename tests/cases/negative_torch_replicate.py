"""`replicate` here is PyTorch's, not Replicate's: nothing to report."""

from torch.nn.parallel import replicate

replicate.run("example/text-to-speech", input={"elevenlabs_api_key": "el-FAKE-0a2b2c3d4e5f"})
replicate.run("acme/unknown", input={"api_key": "sk-FAKE0a2b2c3d4e5f6a7b8c9d0e1f2a3b"})
replicate.use("example/text-to-speech")(elevenlabs_api_key="el-FAKE-1a2b2c3d4e5f")
