# kubectl's --subresource (KEP-2590, beta in 1.30) on get and patch: the status subresource
# is the whole object, scale is an autoscaling/v1 Scale, and a status written is put back by
# the controller that owns it.
kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2
sleep 30
kubectl get deploy web --subresource=status
kubectl get deploy web --subresource=scale
kubectl get deploy web --subresource=scale -o yaml
kubectl get deploy web --subresource=scale -o name
kubectl get rs -l app=web --subresource=scale
kubectl get deploy web nope --subresource=scale
kubectl get deploy --subresource=scale
kubectl get deploy web --subresource=logs
kubectl patch deploy web --subresource=scale --type=merge --patch-file=scale-patch.yaml
kubectl patch deploy web --subresource=scale --type=merge --patch-file=scale-patch.yaml
sleep 30
kubectl get deploy web --subresource=scale
kubectl patch deploy web --subresource=status --type=merge --patch-file=status-patch.yaml
kubectl patch deploy web --subresource=status --type=merge --patch-file=spec-patch.yaml
kubectl get deploy web
kubectl patch deploy web --subresource=logs --patch-file=spec-patch.yaml
kubectl patch svc web --subresource=scale --patch-file=spec-patch.yaml
