# Reference statistics for the Java tests, computed with pydicom 2.3.1 / numpy 1.24.2 (Debian 12).
import pydicom, numpy as np, gzip, io, sys
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut
T='/usr/lib/python3/dist-packages/pydicom/data/test_files/'
N='/usr/lib/python3/dist-packages/nibabel/nicom/tests/data/'
O='/usr/share/octave/packages/dicom-0.5.1/imdata/'
files = {
 'CT_small.dcm': T+'CT_small.dcm', 'MR_small.dcm': T+'MR_small.dcm', 'MR_small_implicit.dcm': T+'MR_small_implicit.dcm',
 'MR_small_bigendian.dcm': T+'MR_small_bigendian.dcm', 'MR_small_RLE.dcm': T+'MR_small_RLE.dcm',
 'CR_MONOCHROME1_6154.dcm': T+'dicomdirtests/77654033/CR1/6154', 'CT_undefined_length_sq_2062.dcm': T+'dicomdirtests/98892001/CT5N/2062',
 'SC_rgb_rle.dcm': T+'SC_rgb_rle.dcm', 'SC_rgb_small_odd.dcm': T+'SC_rgb_small_odd.dcm', 'ExplVR_BigEnd.dcm': T+'ExplVR_BigEnd.dcm',
 'rtdose.dcm': T+'rtdose.dcm', 'rtdose_rle.dcm': T+'rtdose_rle.dcm', 'image_dfl.dcm': T+'image_dfl.dcm',
 'philips_mprage.dcm.gz': N+'philips_mprage.dcm.gz',
 'CT-MONO2-16-ankle.dcm (octave-dicom, not copied)': O+'CT-MONO2-16-ankle.dcm',
}
def dicom_window(x, c, w):
    lo = c - 0.5 - (w - 1) / 2; hi = c - 0.5 + (w - 1) / 2
    y = (x - (c - 0.5)) / (w - 1) + 0.5
    return np.where(x <= lo, 0.0, np.where(x > hi, 1.0, np.clip(y, 0, 1)))
for name, path in files.items():
    ds = pydicom.dcmread(io.BytesIO(gzip.open(path).read()) if path.endswith('.gz') else path)
    a = ds.pixel_array
    frames = int(ds.get('NumberOfFrames', 1) or 1)
    f0 = a[0] if frames > 1 else a
    print('==', name, 'TS', ds.file_meta.TransferSyntaxUID, 'shape', a.shape, a.dtype, 'frames', frames,
          'PI', ds.PhotometricInterpretation, 'Modality', ds.get('Modality'), 'BodyPart', ds.get('BodyPartExamined'))
    if ds.SamplesPerPixel == 3:
        rgb = f0.astype(np.float64)
        luma = 0.299*rgb[...,0] + 0.587*rgb[...,1] + 0.114*rgb[...,2]
        print('   luma min %r max %r mean %r' % (luma.min(), luma.max(), luma.mean()))
        r, c = luma.shape[0]//2, luma.shape[1]//3
        print('   luma[0,0]=%r luma[%d,%d]=%r rgb=%s' % (luma[0,0], r, c, luma[r,c], rgb[r,c]))
        continue
    m = apply_modality_lut(f0, ds).astype(np.float64)
    print('   modality min %r max %r mean %r' % (m.min(), m.max(), m.mean()), 'slope', ds.get('RescaleSlope'), 'intercept', ds.get('RescaleIntercept'))
    R, C = m.shape
    pts = [(0, 0), (R//2, C//2), (R-1, C-1), (R//4, (3*C)//4)]
    print('   pts (row,col)->value', [(p, float(m[p])) for p in pts])
    if frames > 1:
        ml = apply_modality_lut(a[-1], ds).astype(np.float64)
        print('   last frame min %r max %r mean %r' % (ml.min(), ml.max(), ml.mean()))
    wc, ww = ds.get('WindowCenter'), ds.get('WindowWidth')
    if wc is not None:
        wc = float(wc[0] if isinstance(wc, pydicom.multival.MultiValue) else wc)
        ww = float(ww[0] if isinstance(ww, pydicom.multival.MultiValue) else ww)
        w = dicom_window(m, wc, ww)
        if ds.PhotometricInterpretation == 'MONOCHROME1': w = 1 - w
        # cross-check the formula against pydicom's own VOI LUT (its output range is the stored type's range)
        v = apply_voi_lut(m, ds).astype(np.float64)
        bits = ds.BitsStored; signed = ds.PixelRepresentation == 1
        ymin, ymax = (-(2**(bits-1)), 2**(bits-1)-1) if signed else (0, 2**bits-1)
        if 'RescaleSlope' in ds and 'RescaleIntercept' in ds:  # pydicom maps the output range through the rescale too
            ymin, ymax = ymin*float(ds.RescaleSlope)+float(ds.RescaleIntercept), ymax*float(ds.RescaleSlope)+float(ds.RescaleIntercept)
        vn = (v - ymin) / (ymax - ymin)
        if ds.PhotometricInterpretation == 'MONOCHROME1': vn = 1 - vn
        print('   window %r/%r windowed mean %r, max |ours - pydicom apply_voi_lut| = %.3g' % (wc, ww, w.mean(), np.abs(w - vn).max()))
        print('   windowed pts', [(p, float(w[p])) for p in pts])
    else:
        lo, hi = m.min(), m.max(); n = (m-lo)/(hi-lo) if hi > lo else m*0
        if ds.PhotometricInterpretation == 'MONOCHROME1': n = 1 - n
        print('   minmax-normalised mean %r' % n.mean())

# ---- NIfTI (nibabel 5.0.0): shape, min/max/mean and voxels, first 3-D volume of 4-D files ----
import nibabel as nib
D = '/usr/lib/python3/dist-packages/nibabel/tests/data/'
for f in ['anatomical.nii', 'functional.nii', 'reoriented_anat_moved.nii', 'standard.nii.gz', '/usr/share/mricron/templates/ch2.nii.gz']:
    im = nib.load(f if f.startswith('/') else D + f)
    a = im.get_fdata(dtype=np.float64)
    if a.ndim == 4:
        a = a[..., 0]
    sx, sy, sz = a.shape
    print('==', f.split('/')[-1], a.shape, im.get_data_dtype(), 'min %r max %r mean %r' % (a.min(), a.max(), a.mean()),
          'p0.5/99.5', np.percentile(a, [0.5, 99.5]), 'zooms', im.header.get_zooms()[:3])
    pts = [(0, 0, 0), (sx//2, sy//2, sz//2), (sx-1, sy-1, sz-1), (sx//3, sy//4, sz//2)]
    print('   voxels (x,y,z)', [(p, float(a[p])) for p in pts], 'slice z=%d mean %r' % (sz//2, a[:, :, sz//2].mean()))

# ---- InVesalius Cranium.inv3: matrix.dat read with numpy as little-endian int16, shape from main.plist ----
import tarfile
with tarfile.open('/usr/share/doc/invesalius-examples/examples/Cranium.inv3') as t:
    m = [x for x in t.getmembers() if x.name.endswith('/matrix.dat')][0]
    v = np.frombuffer(t.extractfile(m).read(), dtype='<i2').reshape(108, 256, 256)
print('== Cranium', v.shape, 'min', v.min(), 'max', v.max(), 'mean %r' % v.mean(), 'v[54,128,128]', v[54, 128, 128],
      'v[0,0,0]', v[0, 0, 0], 'v[10,200,50]', v[10, 200, 50], 'frac<-900 %r frac>700 %r' % ((v < -900).mean(), (v > 700).mean()))

# ---- Fashion-MNIST IDX ----
d = '/usr/share/datasets/fashion-mnist/'
imgs = np.frombuffer(gzip.open(d + 'train-images-idx3-ubyte.gz').read()[16:], dtype=np.uint8).reshape(-1, 28, 28)
labs = np.frombuffer(gzip.open(d + 'train-labels-idx1-ubyte.gz').read()[8:], dtype=np.uint8)
print('== fashion train', imgs.shape, 'labels[:10]', labs[:10], 'counts', np.bincount(labs),
      'img0 sum', int(imgs[0].sum()), 'mean %r' % imgs[0].mean(), 'img0[14,14]', imgs[0][14, 14], 'img59999 sum', int(imgs[59999].sum()))

# ---- derived values used by the slice tests ----
im = nib.load(D + 'functional.nii'); a = im.get_fdata(dtype=np.float64)
print('== functional volume 1 (4th dim index 1): mean %r, voxel (8,10,1) %r' % (a[..., 1].mean(), a[8, 10, 1, 1]))
ch2 = nib.load('/usr/share/mricron/templates/ch2.nii.gz').get_fdata(dtype=np.float64)
lo, hi = np.percentile(ch2, [0.5, 99.5])
print('== ch2 slice z=90 normalised by volume p0.5..p99.5: mean %r' % np.clip((ch2[:, :, 90] - lo) / (hi - lo), 0, 1).mean())
def win(x, c, w):
    return np.clip((x - (c - w / 2)) / w, 0, 1)
s = v[54].astype(np.float64)
print('== Cranium slice 54: brain 40/80 mean %r, bone 400/1800 mean %r' % (win(s, 40, 80).mean(), win(s, 400, 1800).mean()))
anat = nib.load(D + 'anatomical.nii').get_fdata(dtype=np.float64)
lo, hi = np.percentile(anat, [0.5, 99.5])
print('== anatomical slice z=12 normalised by volume p0.5..p99.5: mean %r' % np.clip((anat[:, :, 12] - lo) / (hi - lo), 0, 1).mean())
