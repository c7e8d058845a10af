"""Kernels for the device scripts (gate_order.py, clock_response.py, noop_tail.py): compiled with NVRTC for this
GPU and launched through the CUDA driver API with ctypes, beside PyTorch's own work in the same
(primary) context. Import after torch has initialized CUDA."""
import ctypes
import glob

import torch

cuda = ctypes.CDLL("libcuda.so.1")
cuda.cuModuleLoadData.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p]
cuda.cuModuleGetFunction.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p, ctypes.c_char_p]
cuda.cuCtxSetCurrent.argtypes = [ctypes.c_void_p]
cuda.cuStreamSynchronize.argtypes = [ctypes.c_void_p]
cuda.cuLaunchKernel.argtypes = [ctypes.c_void_p] + [ctypes.c_uint] * 7 + [ctypes.c_void_p,
                                                                        ctypes.POINTER(ctypes.c_void_p),
                                                                        ctypes.c_void_p]


def check(what, rc):
    """Raises with the call and its status unless rc is 0 (CUDA_SUCCESS, NVRTC_SUCCESS)."""
    if rc != 0:
        raise RuntimeError("%s failed: status %d" % (what, rc))


def compile_kernel(source, name):
    """The kernel `name` (bytes) of CUDA C `source` (bytes), compiled for this GPU's architecture."""
    nvrtc = ctypes.CDLL(sorted(glob.glob("/usr/local/cuda/lib64/libnvrtc.so*"))[0])
    prog = ctypes.c_void_p()
    check("nvrtcCreateProgram", nvrtc.nvrtcCreateProgram(ctypes.byref(prog), source, name + b".cu", 0, None, None))
    major, minor = torch.cuda.get_device_capability()
    opts = (ctypes.c_char_p * 1)(("-arch=sm_%d%d" % (major, minor)).encode())
    rc = nvrtc.nvrtcCompileProgram(prog, 1, opts)
    if rc != 0:
        size = ctypes.c_size_t()
        nvrtc.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
        log = ctypes.create_string_buffer(size.value)
        nvrtc.nvrtcGetProgramLog(prog, log)
        raise RuntimeError("nvrtcCompileProgram: %d %s" % (rc, log.value.decode()))
    size = ctypes.c_size_t()
    check("nvrtcGetCUBINSize", nvrtc.nvrtcGetCUBINSize(prog, ctypes.byref(size)))
    cubin = ctypes.create_string_buffer(size.value)
    check("nvrtcGetCUBIN", nvrtc.nvrtcGetCUBIN(prog, cubin))
    module = ctypes.c_void_p()
    check("cuModuleLoadData", cuda.cuModuleLoadData(ctypes.byref(module), cubin.raw))
    function = ctypes.c_void_p()
    check("cuModuleGetFunction", cuda.cuModuleGetFunction(ctypes.byref(function), module, name))
    return function


def launch(function, stream, blocks, threads, *args):
    """Launches `function` as `blocks` blocks of `threads` threads (one-dimensional) on `stream` (a
    CUstream as ctypes.c_void_p) with `args` (ctypes values, kept alive by the caller until the
    call returns)."""
    params = (ctypes.c_void_p * len(args))(*[ctypes.cast(ctypes.byref(a), ctypes.c_void_p) for a in args])
    check("cuLaunchKernel", cuda.cuLaunchKernel(function, blocks, 1, 1, threads, 1, 1, 0, stream, params, None))


def launch_one_thread(function, stream, *args):
    """Launches `function` as one block of one thread on `stream`, as launch() does."""
    launch(function, stream, 1, 1, *args)
