// Recipe CI drives docker, git, restic and flock on Linux hosts: Docker Swarm nodes are Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
